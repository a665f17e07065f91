// Search in the browser over the index Gazette writes at build time
// (src/search/). fold, terms and units mirror src/search/fold.rs and
// query.rs exactly; tests/search.rs runs both over the same strings.
// Everything shown is inserted as text, never as HTML.
(function (root) {
  "use strict";

  var WS = /[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var MAX_TERM = 40, MAX_PARTS = 6, EXPANSIONS = 8, TITLE = 0x80, PAGE = 10;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/\u0111/g, "d").replace(/\u03c2/g, "\u03c3")
      .replace(WS, " ").replace(/^ | $/g, "");
  }

  // Words, pairs and compounds of folded text, as fold.rs `terms`.
  function terms(folded) {
    var out = [], chars = Array.from(folded), at = [], pos = 0, i = 0;
    chars.forEach(function (c) { at.push(pos); pos += c.length; });
    at.push(pos);
    var word = function (c) { return c !== undefined && WORD.test(c); };
    var digit = function (c) { return c !== undefined && c >= "0" && c <= "9"; };
    var joined = false, previous = 0;
    while (i < chars.length) {
      if (!word(chars[i])) {
        if (chars[i] !== " ") joined = false;
        i++;
        continue;
      }
      var parts = [], start = i;
      for (;;) {
        while (i < chars.length && word(chars[i])) i++;
        parts.push([start, i]);
        var j = chars[i], next = chars[i + 1];
        var keeps = (j === "/" || j === "-" || j === ".") ? word(next)
          : j === "," ? digit(chars[i - 1]) && digit(next) : false;
        if (!keeps) break;
        i++;
        start = i;
      }
      var compound = parts.length > 1;
      for (var n = 0; n < parts.length; n++) {
        out.push({ w: folded.slice(at[parts[n][0]], at[parts[n][1]]) });
        if (joined && !compound) out.push({ p: folded.slice(previous, at[parts[n][1]]) });
        if (n > 0 && n < MAX_PARTS) {
          var c = folded.slice(at[parts[0][0]], at[parts[n][1]]);
          if (new TextEncoder().encode(c).length <= MAX_TERM) out.push({ c: c });
        }
      }
      joined = !compound;
      previous = at[parts[0][0]];
    }
    return out;
  }

  // The units of a query, as query.rs `units`.
  function units(query) {
    var out = [];
    terms(fold(query)).forEach(function (t) {
      if (t.w !== undefined) out.push({ term: t.w, parts: null, pairs: false });
      else if (t.p !== undefined) { if (out.length) out[out.length - 1].pairs = true; }
      else {
        var last = out.pop();
        if (!last) return;
        var before = out.pop(), parts;
        if (before && before.parts && t.c.indexOf(before.term) === 0) parts = before.parts;
        else parts = before ? [before.term] : [];
        parts.push(last.term);
        out.push({ term: t.c, parts: parts, pairs: false });
      }
    });
    return out;
  }

  function varint(bytes, state) {
    var value = 0, shift = 0, b;
    do {
      b = bytes[state.at++];
      value += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (b >= 0x80);
    return value;
  }

  // A shard: [{term, df, deltas, weights}] (format in shard.rs).
  function decodeShard(bytes) {
    var s = { at: 0 }, count = varint(bytes, s), heads = [], previous = "";
    var utf8 = new TextDecoder(), enc = new TextEncoder();
    for (var k = 0; k < count; k++) {
      var shared = varint(bytes, s), length = varint(bytes, s);
      var term = utf8.decode(enc.encode(previous).slice(0, shared)) +
        utf8.decode(bytes.subarray(s.at, s.at + length));
      s.at += length;
      heads.push({ term: term, df: varint(bytes, s), size: varint(bytes, s) });
      previous = term;
    }
    var w = s.at;
    heads.forEach(function (h) { w += h.size; });
    heads.forEach(function (h) {
      h.deltas = bytes.subarray(s.at, s.at + h.size);
      h.weights = bytes.subarray(w, w + h.df);
      s.at += h.size;
      w += h.df;
    });
    return heads;
  }

  function decodeDocs(bytes) {
    var s = { at: 0 }, count = varint(bytes, s), docs = [], doc = 0;
    for (var i = 0; i < count; i++) { doc = i ? doc + varint(bytes, s) : varint(bytes, s); docs.push(doc); }
    return docs;
  }

  function oneEdit(a, b) {
    a = Array.from(a); b = Array.from(b);
    var s = a.length <= b.length ? a : b, l = s === a ? b : a;
    if (s.join("") === l.join("") || l.length - s.length > 1) return false;
    var p = 0;
    while (p < s.length && s[p] === l[p]) p++;
    if (s.length !== l.length) return s.slice(p).join("") === l.slice(p + 1).join("");
    var rest = s.slice(p + 2).join("") === l.slice(p + 2).join("");
    return s.slice(p + 1).join("") === l.slice(p + 1).join("") ||
      (p + 1 < s.length && s[p] === l[p + 1] && s[p + 1] === l[p] && rest);
  }

  // A shard's file: its first term's UTF-8 bytes in hex (shard.rs).
  function shardFile(first) {
    var bytes = new TextEncoder().encode(first), name = "s/";
    for (var i = 0; i < bytes.length; i++) name += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return name + ".bin";
  }
  // The index at `base` ("/tim-kiem/"), read through `get(path)` →
  // Promise<Uint8Array>; shards are fetched once, when a query needs them.
  function Index(base, get) {
    this.base = base; this.get = get; this.shards = {}; this.meta = null;
  }
  Index.prototype.open = function () {
    var self = this;
    return this.get(this.base + "meta.json").then(function (bytes) {
      self.meta = JSON.parse(new TextDecoder().decode(bytes));
      return self;
    });
  };
  Index.prototype.shardOf = function (term) {
    var f = this.meta.shards, lo = 0, hi = f.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (f[mid] <= term) lo = mid + 1; else hi = mid; }
    return Math.max(lo - 1, 0);
  };
  Index.prototype.shard = function (k) {
    var self = this;
    if (!this.shards[k]) {
      this.shards[k] = this.get(this.base + shardFile(this.meta.shards[k])).then(decodeShard, function () { return []; });
    }
    return this.shards[k];
  };
  // Document `n`'s d/<n>.json, fetched once.
  Index.prototype.doc = function (n) {
    if (!this.docs) this.docs = {};
    if (!this.docs[n]) {
      var self = this;
      this.docs[n] = this.get(this.base + "d/" + n + ".json").then(function (b) {
        return JSON.parse(new TextDecoder().decode(b));
      }, function (err) { delete self.docs[n]; throw err; });
    }
    return this.docs[n];
  };
  Index.prototype.exact = function (term) {
    return this.shard(this.shardOf(term)).then(function (list) {
      for (var i = 0; i < list.length; i++) if (list[i].term === term) return list[i];
      return null;
    });
  };
  // The term, else the terms it starts, else one an edit away (query.rs `unit`).
  Index.prototype.unit = function (term) {
    var self = this, first = this.shardOf(term), f = this.meta.shards;
    return this.exact(term).then(function (hit) {
      if (hit) return [hit];
      if (Array.from(term).length < 2) return [];
      var ks = [first];
      for (var k = first + 1; k < Math.min(first + 3, f.length) && f[k].indexOf(term) === 0; k++) ks.push(k);
      return Promise.all(ks.map(function (k) { return self.shard(k); })).then(function (lists) {
        var starting = [];
        lists.forEach(function (list) {
          list.forEach(function (t) { if (t.term.indexOf(term) === 0 && t.term.indexOf(" ") < 0) starting.push(t); });
        });
        if (starting.length) {
          return starting.sort(function (a, b) { return b.df - a.df; }).slice(0, EXPANSIONS);
        }
        if (Array.from(term).length < 4) return [];
        var near = null, nearSame = false, letters = function (w) { return Array.from(w).sort().join(""); };
        lists[0].forEach(function (t) {
          if (t.term.indexOf(" ") >= 0 || !oneEdit(t.term, term)) return;
          var same = letters(t.term) === letters(term);
          if (!near || same > nearSame || (same === nearSame && t.df >= near.df)) { near = t; nearSame = same; }
        });
        return near ? [near] : [];
      });
    });
  };
  // Every document the query finds, best first (query.rs `search`), as
  // document numbers (`length` and `slice`), and the terms that matched.
  Index.prototype.search = function (query, only) {
    var self = this, us = units(query), n = this.meta.n;
    if (!us.length) return Promise.resolve({ hits: [], terms: [] });
    var work = us.map(function (u) {
      if (!u.parts) return self.unit(u.term).then(function (p) { return [[p, false]]; });
      return self.exact(u.term).then(function (whole) {
        if (whole) return [[[whole], true]];
        return Promise.all(u.parts.map(function (part) {
          return self.unit(part).then(function (p) { return [p, false]; });
        }));
      });
    });
    var pairs = [];
    for (var i = 1; i < us.length; i++) {
      if (!us[i - 1].parts && !us[i].parts && us[i].pairs) pairs.push(self.exact(us[i - 1].term + " " + us[i].term));
    }
    return Promise.all([Promise.all(work), Promise.all(pairs)]).then(function (got) {
      var matched = [], found = [].concat.apply([], got[0]);
      var idf = function (df) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); };
      var common = function (ps) { return ps.some(function (p) { return p.df * 2 > n; }); };
      var allCommon = found.every(function (f) { return common(f[0]); });
      // Per document, in typed arrays: a query over common words touches
      // most of them.
      // Kept between queries (one runs at a time once its shards are in).
      var b = self.buffers;
      if (!b || b.n !== n) b = self.buffers = { n: n, bytes: new Uint8Array(7 * n), doubles: new Float64Array(3 * n) };
      else { b.bytes.fill(0); b.doubles.fill(0); }
      var bytes = function (k) { return b.bytes.subarray(k * n, (k + 1) * n); };
      var unitsOf = bytes(0), numbers = bytes(1), pairsOf = bytes(2), titles = bytes(3);
      var seen = bytes(4), bestTitle = bytes(5), inUnit = bytes(6), touched = [];
      var score = b.doubles.subarray(0, n), best = b.doubles.subarray(n, 2 * n), rounded = b.doubles.subarray(2 * n);
      var add = function (postings, unit, counts, number) {
        var docs = [];
        postings.forEach(function (p) {
          matched.push(p.term);
          var rarity = idf(p.df) / 127, d = p.deltas, at = 0, doc = 0;
          for (var k = 0; k < p.df; k++) {
            var v = 0, shift = 0, b;
            do { b = d[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b >= 0x80);
            doc = k ? doc + v : v;
            var w = p.weights[k], s = rarity * (w & 0x7f);
            if (!inUnit[doc]) { inUnit[doc] = 1; docs.push(doc); best[doc] = s; bestTitle[doc] = w & TITLE; }
            else { bestTitle[doc] |= w & TITLE; if (s > best[doc]) best[doc] = s; }
          }
        });
        for (var i = 0; i < docs.length; i++) {
          var doc = docs[i];
          inUnit[doc] = 0;
          if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
          if (unit) {
            if (counts) unitsOf[doc]++;
            if (bestTitle[doc]) { titles[doc]++; if (number) numbers[doc]++; }
          } else pairsOf[doc]++;
          score[doc] += best[doc];
        }
      };
      found.forEach(function (f) { add(f[0], true, allCommon || !common(f[0]), f[1]); });
      got[1].forEach(function (p) { if (p) add([p], false); });
      var list = only ? touched.filter(function (d) { return only.has(d); }) : touched;
      var most = 0;
      list.forEach(function (d) { if (unitsOf[d] > most) most = unitsOf[d]; });
      list = list.filter(function (d) { return unitsOf[d] === most; });
      list.forEach(function (d) { rounded[d] = Math.round(score[d] * 1000); });
      list = rank(list, [numbers, pairsOf, titles, rounded], n);
      return { hits: list, terms: matched };
    });
  };

  // Documents best first by their keys (arrays by document of whole
  // numbers, most significant first), then the newer: packed into doubles
  // when they fit in 53 bits, and sorted only as far as they are read.
  function rank(docs, keys, n) {
    var bits = function (max) { var b = 0; while (Math.pow(2, b) <= max) b++; return b; };
    var scales = [], total = bits(n), m = docs.length, i, k;
    keys.forEach(function (key) {
      var max = 0;
      for (i = 0; i < m; i++) if (key[docs[i]] > max) max = key[docs[i]];
      scales.push(Math.pow(2, bits(max)));
      total += bits(max);
    });
    if (total > 53) return docs.slice().sort(function (a, b) {
      for (k = 0; k < keys.length; k++) if (keys[k][a] !== keys[k][b]) return keys[k][b] - keys[k][a];
      return b - a;
    });
    var unit = Math.pow(2, bits(n)), p = new Float64Array(m), ready = 0;
    for (i = 0; i < m; i++) {
      var v = 0;
      for (k = 0; k < keys.length; k++) v = v * scales[k] + keys[k][docs[i]];
      p[i] = v * unit + docs[i];
    }
    return { length: m, slice: function (from, to) {
      to = Math.min(to, m);
      if (to > ready) {
        ready = Math.max(256, 2 * to, 2 * ready);
        if (4 * ready >= m) ready = m; else select(p, m - ready);
        p.subarray(m - ready).sort();
      }
      var out = [];
      for (var j = from; j < to; j++) out.push(p[m - 1 - j] % unit);
      return out;
    } };
  }

  // Puts the k-th smallest of `a` at a[k], the smaller before, the larger after.
  function select(a, k) {
    var lo = 0, hi = a.length - 1;
    while (lo < hi) {
      var x = a[(lo + hi) >> 1], i = lo, j = hi, t;
      while (i <= j) {
        while (a[i] < x) i++;
        while (a[j] > x) j--;
        if (i <= j) { t = a[i]; a[i++] = a[j]; a[j--] = t; }
      }
      if (k <= j) hi = j; else if (k >= i) lo = i; else return;
    }
  }

  // The window of the text with the most matched words, as text and marks;
  // `seen` caches each folded word's hit across one query's texts.
  function snippet(text, matched, size, seen) {
    seen = seen || new Map();
    var words = text.split(/\s+/), folded = fold(text).split(" ");
    if (folded.length !== words.length) folded = words.map(fold);
    var hit = folded.map(function (word) {
      var known = seen.get(word);
      if (known === undefined) {
        known = terms(word).some(function (t) { return matched.has(t.w !== undefined ? t.w : t.c); });
        seen.set(word, known);
      }
      return known;
    });
    var best = 0, bestAt = 0, count = 0;
    for (var i = 0; i < words.length; i++) {
      if (hit[i]) count++;
      if (i >= size && hit[i - size]) count--;
      if (count > best) { best = count; bestAt = Math.max(0, i - size + 1); }
    }
    while (best && !hit[bestAt]) bestAt++;
    var from = best && size < words.length ? Math.max(0, bestAt - 4) : 0;
    var to = Math.min(words.length, from + size);
    var parts = [];
    if (from > 0) parts.push(["…", false]);
    for (var k = from; k < to; k++) parts.push([(k > from ? " " : "") + words[k], hit[k]]);
    if (to < words.length) parts.push([" …", false]);
    return parts;
  }

  root.GazetteSearch = { fold: fold, terms: terms, units: units, Index: Index, decodeDocs: decodeDocs, snippet: snippet };
  if (typeof document === "undefined") return;

  // With JS, the header's box goes to the search page, never to
  // `search.external` (that is for visitors without JS).
  document.querySelectorAll("form[data-search-page]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var q = form.querySelector("input[name=q]").value;
      if (form.getAttribute("action") === form.dataset.searchPage) return;
      event.preventDefault();
      location.href = form.dataset.searchPage + "?q=" + encodeURIComponent(q);
    });
  });

  var app = document.querySelector("[data-search-app]");
  if (!app || !window.fetch || !String.prototype.normalize) return;
  var form = app.querySelector("form"), input = form.querySelector("input[name=q]");
  var status = app.querySelector(".search-status"), results = app.querySelector(".search-results");
  var more = app.querySelector(".search-more"), selects = form.querySelectorAll("select[data-filter]");
  var say = function (key, values) {
    return (app.dataset[key] || "").replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  };
  var get = function (path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  };
  var index = new Index(app.dataset.index, get), filters = {}, latest = 0;
  document.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Text and marked words, as text nodes and <mark>s.
  function marked(parent, parts) {
    parts.forEach(function (part) {
      if (!part[1]) return parent.appendChild(document.createTextNode(part[0]));
      if (part[0][0] === " ") parent.appendChild(document.createTextNode(" "));
      parent.appendChild(el("mark", null, part[0].replace(/^ /, "")));
    });
    return parent;
  }

  function filterSet() {
    var sets = [];
    selects.forEach(function (s) { if (s.value) sets.push(filters[s.value]); });
    return Promise.all(sets).then(function (lists) {
      if (!lists.length) return null;
      var set = new Set(lists[0]);
      lists.slice(1).forEach(function (l) { var next = new Set(l); set.forEach(function (d) { if (!next.has(d)) set.delete(d); }); });
      return set;
    });
  }

  function show(hits, matched, from, ticket) {
    var page = hits.slice(from, from + PAGE);
    return Promise.all(page.map(function (doc) { return index.doc(doc); })).then(function (docs) {
      if (ticket !== latest) return;
      var seen = new Map();
      docs.forEach(function (d) {
        var li = el("li", "search-result"), h = el("h2"), a = el("a");
        marked(a, snippet(d.t, matched, Infinity, seen));
        a.href = d.u;
        h.appendChild(a);
        li.appendChild(h);
        var meta = [d.k, d.d, d.c].filter(Boolean).join(" · ");
        if (meta) li.appendChild(marked(el("p", "search-meta"), snippet(meta, matched, Infinity, seen)));
        li.appendChild(marked(el("p", "search-snippet"), snippet(d.x, matched, 30, seen)));
        results.appendChild(li);
      });
      more.hidden = from + PAGE >= hits.length;
      more.onclick = function () { show(hits, matched, from + PAGE, ticket); };
    });
  }

  function run(push) {
    var q = input.value, ticket = ++latest;
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    selects.forEach(function (s) { if (s.value) params.set(s.name, s.options[s.selectedIndex].text); });
    var url = location.pathname + (params.toString() ? "?" + params : "");
    // Typing refines the history entry it is on; a submitted entry is
    // kept (typing after it starts a new one), so Back returns to it.
    var here = location.pathname + location.search, kept = history.state && history.state.submitted;
    if (push) history[url !== here ? "pushState" : "replaceState"]({ submitted: true }, "", url);
    else if (url !== here) history[kept ? "pushState" : "replaceState"](null, "", url);
    status.textContent = say("tLoading", {});
    return filterSet().then(function (only) {
      if (!units(q).length) {
        var docs = only ? Array.from(only).sort(function (a, b) { return b - a; }) : [];
        return { hits: docs, terms: [] };
      }
      return index.search(q, only);
    }).then(function (found) {
      if (ticket !== latest) return;
      results.textContent = "";
      var filtered = Array.prototype.some.call(selects, function (s) { return s.value; });
      if (!q && !filtered) { status.textContent = ""; more.hidden = true; return; }
      var text = found.hits.length
        ? say(q ? "tCount" : "tCountFiltered", { n: found.hits.length.toLocaleString("vi-VN"), q: q })
        : say("tNone", { q: q });
      // Announced once the results are on the page.
      return show(found.hits, new Set(found.terms), 0, ticket).then(function () {
        if (ticket !== latest) return;
        status.textContent = text;
        app.dispatchEvent(new CustomEvent("gazette:results", { detail: { q: q, count: found.hits.length } }));
      });
    }).catch(function () { status.textContent = say("tError", {}); });
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (s) {
      var want = params.get(s.name) || "";
      s.value = "";
      Array.prototype.forEach.call(s.options, function (o) { if (want && o.text === want) s.value = o.value; });
    });
  }

  index.open().then(function () {
    var f = index.meta.filters;
    selects.forEach(function (s) {
      var values = f[s.dataset.filter] || [];
      values.forEach(function (v) {
        var o = el("option", null, v[0]);
        o.value = v[1];
        s.appendChild(o);
        filters[v[1]] = null;
      });
      if (values.length) s.parentNode.hidden = false;
      s.addEventListener("change", function () {
        if (s.value && !filters[s.value]) filters[s.value] = get(index.base + "f/" + s.value + ".bin").then(decodeDocs);
        run(true);
      });
    });
    fromUrl();
    selects.forEach(function (s) {
      if (s.value) filters[s.value] = get(index.base + "f/" + s.value + ".bin").then(decodeDocs);
    });
    if (input.value || filtered()) run(false);
  }, function () { status.textContent = say("tError", {}); });

  function filtered() { return Array.prototype.some.call(selects, function (s) { return s.value; }); }

  // As you type: one search at a time; keys pressed meanwhile make one
  // more search, with the words as they are when it starts.
  var busy = null, again = false;
  var typed = function () {
    if (busy) { again = true; return; }
    busy = run(false).then(function () {
      busy = null;
      if (again) { again = false; typed(); }
    });
  };
  input.addEventListener("input", typed);
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  input.addEventListener("keydown", function (event) {
    var first = results.querySelector("a");
    if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
  });
  results.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(results.querySelectorAll("a")), i = links.indexOf(document.activeElement);
    if (i < 0 || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    event.preventDefault();
    var next = links[i + (event.key === "ArrowDown" ? 1 : -1)];
    (next || input).focus();
  });
  window.addEventListener("popstate", function () { fromUrl(); run(false); });
})(typeof window !== "undefined" ? window : globalThis);
