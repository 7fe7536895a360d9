// Writes node_expected.json: what Node.js gives for node_cases.js (run
// with Node 20: `node gen_node_expected.js`). Errors are "throws: Name:
// message [CODE]", rejections "rejected: ...".
const cases = require("./node_cases.js");
const describe = (e) => {
  if (e !== null && typeof e === "object" && e.name !== undefined && e.message !== undefined) {
    return `${e.name}: ${e.message}` + (e.code !== undefined ? ` [${e.code}]` : "");
  }
  return String(e);
};
(async () => {
  const out = [];
  for (const src of cases) {
    let want;
    try {
      const v = eval(src);
      if (v instanceof Promise) {
        try {
          want = String(await v);
        } catch (e) {
          want = "rejected: " + describe(e);
        }
      } else {
        want = String(v);
      }
    } catch (e) {
      want = "throws: " + describe(e);
    }
    out.push({ src, want });
  }
  require("fs").writeFileSync(__dirname + "/node_expected.json", JSON.stringify(out, null, 1) + "\n");
})();
