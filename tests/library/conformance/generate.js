// Expected citations for the conformance set, from citeproc-js itself under Node.
//
//   cd tests/library/conformance && npm install && node generate.js
//
// Reads items.json and the same official style and locale files the site uses
// (fieldguide/library/vendor/csl/), and writes expected/<style>.json: for each item,
// citeproc-js's raw bibliography entry in its "html" and "text" output formats. The
// Python side compares its own rendering with these (tests/library/test_conformance.py).
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const CSL_DIR = path.join(__dirname, "..", "..", "..", "fieldguide", "library", "vendor", "csl");
const STYLES = {
  apa: "apa",
  ama: "american-medical-association",
  chicago: "chicago-author-date",
  vancouver: "nlm-citation-sequence",
};
const locale = fs.readFileSync(path.join(CSL_DIR, "locales-en-US.xml"), "utf8");
const items = JSON.parse(fs.readFileSync(path.join(__dirname, "items.json"), "utf8"));

// The one input rule citations.engine_item applies (and so must this script): in
// `number`, a hyphen between two characters is escaped, citeproc-js's way to say
// "a hyphen, not a range" (APA 7's own example: "NIH Publication No. 18-2424").
function prepare(item) {
  const copy = JSON.parse(JSON.stringify(item));
  if (typeof copy.number === "string") {
    copy.number = copy.number.replace(/(?<=\w)(?<!\\)-(?=\w)/g, "\\-");
  }
  return copy;
}

fs.mkdirSync(path.join(__dirname, "expected"), { recursive: true });
for (const [key, cslId] of Object.entries(STYLES)) {
  const style = fs.readFileSync(path.join(CSL_DIR, cslId + ".csl"), "utf8");
  const out = { engine: "citeproc " + require("citeproc/package.json").version, style: cslId, entries: {} };
  for (const item of items) {
    const entry = {};
    for (const format of ["html", "text"]) {
      // A fresh engine per entry: nothing carries over from one item to the next.
      const one = {};
      one[item.id] = prepare(item);
      const engine = new CSL.Engine(
        { retrieveLocale: () => locale, retrieveItem: (id) => one[id] },
        style,
        "en-US",
        true,
      );
      engine.setOutputFormat(format);
      engine.updateItems([item.id]);
      entry[format] = engine.makeBibliography()[1][0];
    }
    out.entries[item.id] = entry;
  }
  fs.writeFileSync(
    path.join(__dirname, "expected", key + ".json"),
    JSON.stringify(out, null, 1) + "\n",
  );
}
console.log(`${items.length} items x ${Object.keys(STYLES).length} styles written`);
