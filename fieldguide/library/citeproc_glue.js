// Fieldguide's side of the citeproc-js engine (run in mini-racer, see engine.py).
// vendor/citeproc-js/citeproc.js is evaluated just before this file; it ends with
// `module.exports = CSL`.
var fieldguide = (function () {
  "use strict";
  var CSL = module.exports;
  var locales = {};
  var engines = {};
  var items = {};
  var counter = 0;
  var sys = {
    retrieveLocale: function (lang) {
      return locales[lang] || locales["en-US"];
    },
    retrieveItem: function (id) {
      return items[id];
    },
  };
  return {
    addLocale: function (lang, xml) {
      locales[lang] = xml;
      return true;
    },
    build: function (key, styleXml) {
      engines[key] = new CSL.Engine(sys, styleXml, "en-US", true);
      return CSL.PROCESSOR_VERSION;
    },
    // One bibliography entry, as citeproc-js writes it (a <div class="csl-entry">).
    // A fresh id per call: the engine's registry never serves an earlier item.
    render: function (key, item, format) {
      var engine = engines[key];
      var id = "fieldguide-" + ++counter;
      items = {};
      items[id] = Object.assign({}, item, { id: id });
      engine.setOutputFormat(format || "html");
      engine.updateItems([id]);
      var result = engine.makeBibliography();
      if (!result || result[1].length !== 1) {
        throw new Error("citeproc-js made no bibliography entry");
      }
      return result[1][0];
    },
  };
})();
