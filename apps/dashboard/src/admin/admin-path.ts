/** Where the operator pages live (linked from Bull Board's menu); the JSON API is under `${ADMIN_PAGE_PATH}/api`. */
export const ADMIN_PAGE_PATH = "/admin";
