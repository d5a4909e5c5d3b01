/** The operator pages' only stylesheet, served from our origin (the CSP allows no inline styles). */
export const ADMIN_STYLESHEET = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5rem 2rem; color: #1d232a; }
header nav { display: flex; gap: 1rem; padding: .75rem 0; border-bottom: 1px solid #d0d7de; }
h1 { font-size: 1.3rem; }
form.search { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: .85rem; }
input, select, button { font: inherit; padding: .25rem .4rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
pre { background: #f6f8fa; padding: .75rem; overflow: auto; }
.problems { color: #b42318; }
`;
