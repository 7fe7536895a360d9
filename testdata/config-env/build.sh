# The [build] command of wrangler.toml: fails when the template asks it to.
if grep -q FAIL template/version.js; then
  echo "template says FAIL" >&2
  exit 3
fi
mkdir -p gen
sed 's/@VERSION@/built/' template/version.js > gen/version.js
echo "wrote gen/version.js"
