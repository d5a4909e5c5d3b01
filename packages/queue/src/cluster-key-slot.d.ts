/** cluster-key-slot ships no types: Redis Cluster's slot (CRC16 of the key's hash tag, mod 16384). */
declare module "cluster-key-slot" {
  function calculateSlot(key: string): number;
  export = calculateSlot;
}
