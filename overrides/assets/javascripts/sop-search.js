/* The manual's search box: Pagefind's index, Indonesian roots, filters, and ?q= links.
 *
 * Pagefind (pagefind/pagefind.js, loaded on first use) finds pages by the words typed; the roots
 * of those words (the same analysis as plugins/sop_manual/indonesian.py, ported below: change both
 * together) find the other forms of each word. Results of the words as typed come first, then those
 * found through a root; revoked (dicabut) SOPs come last. Every text shown comes from the index as
 * text (textContent), never as markup.
 */
(() => {
  "use strict";

  // -- Indonesian analysis (port of sop_manual/indonesian.py) -------------------------------------

  const VOWELS = new Set("aeiou");
  const MIN_ROOT = 3;
  const MIN_ANALYSED = 4;
  const ONSETS = new Set(["bl", "br", "dr", "fl", "fr", "gl", "gr", "kh", "kl", "kr", "ng", "ny", "pl", "pr", "ps",
    "sk", "sl", "sm", "sn", "sp", "st", "sw", "sy", "tr"]);
  const SUFFIXES = ["kan", "an", "i"];
  const INVALID_CONFIXES = new Set(["be i", "di an", "ke i", "ke kan", "me an", "te an"]);
  const MAX_PREFIXES = 3;
  const INNER_PREFIXES = {me: ["per", "be"], pe: ["per", "be"], di: ["per", "be"], ke: ["pe", "per", "be", "te"],
    be: ["pe", "per"], te: ["per"]};

  const isVowel = letter => VOWELS.has(letter);
  const plausible = root => root.length >= MIN_ROOT && [...root].some(isVowel)
    && (isVowel(root[0]) || isVowel(root[1]) || ONSETS.has(root.slice(0, 2)));
  const first = text => text.slice(0, 1);

  function prefixes(word) {
    const found = [];
    const add = (kind, rest) => { if (plausible(rest)) found.push([kind, rest]); };
    for (const kind of ["me", "pe"]) {
      if (!word.startsWith(kind)) continue;
      const rest = word.slice(2);
      if (rest.startsWith("nge")) add(kind, rest.slice(3));
      if (rest.startsWith("ng")) {
        const after = rest.slice(2);
        if (isVowel(first(after))) { add(kind, after); add(kind, "k" + after); }
        else if (after && "ghk".includes(after[0])) add(kind, after);
      } else if (rest.startsWith("ny")) {
        if (isVowel(rest.slice(2, 3))) add(kind, "s" + rest.slice(2));
      } else if (rest.startsWith("n")) {
        const after = rest.slice(1);
        if (isVowel(first(after))) add(kind, "t" + after);
        else if ((after && "cdjtz".includes(after[0])) || after.startsWith("sy")) add(kind, after);
      } else if (rest.startsWith("m")) {
        const after = rest.slice(1);
        if (isVowel(first(after))) add(kind, "p" + after);
        else if (after && "bfpv".includes(after[0])) add(kind, after);
      }
      if (rest && "lmnrwy".includes(rest[0])) add(kind, rest);
      else if (kind === "pe" && rest && !isVowel(rest[0])) add(kind, rest);
    }
    if (word.startsWith("per")) add("per", word.slice(3));
    if (word.startsWith("pelajar") || word.startsWith("belajar")) add(word.slice(0, 2), word.slice(3));
    if (word.startsWith("ber")) add("be", word.slice(3));
    if (word.startsWith("beker")) add("be", word.slice(2));
    if (word.startsWith("ter")) { add("te", word.slice(3)); add("te", word.slice(2)); }
    if (word.startsWith("di")) add("di", word.slice(2));
    if (word.startsWith("ke")) add("ke", word.slice(2));
    return found;
  }

  function strip(stem, removed, suffix, outer, found, level) {
    if (level >= MAX_PREFIXES) return;
    for (const [kind, rest] of prefixes(stem)) {
      if (outer === null && (INVALID_CONFIXES.has(`${kind} ${suffix}`) || (kind === "ke" && suffix !== "an"))) continue;
      if (outer !== null && !(INNER_PREFIXES[outer] || []).includes(kind)) continue;
      if ((found.get(rest) ?? -1) < removed + 1) found.set(rest, removed + 1);
      strip(rest, removed + 1, suffix, kind, found, level + 1);
    }
  }

  function candidates(word) {
    const found = new Map([[word, 0]]);
    if (word.length < MIN_ANALYSED || !/^[a-z]+$/.test(word)) return found;
    const bases = [[word, 0]];
    if (word.endsWith("nya") && plausible(word.slice(0, -3))) bases.push([word.slice(0, -3), 1]);
    for (const [base, removed] of bases) {
      const forms = [[base, removed, null]];
      for (const suffix of SUFFIXES) {
        if (base.endsWith(suffix) && plausible(base.slice(0, -suffix.length))) {
          forms.push([base.slice(0, -suffix.length), removed + 1, suffix]);
        }
      }
      for (const [stem, depth, suffix] of forms) {
        if ((found.get(stem) ?? -1) < depth) found.set(stem, depth);
        strip(stem, depth, suffix, null, found, 0);
      }
    }
    return found;
  }

  function best(options, support) {
    let most = 0;
    for (const root of options.keys()) most = Math.max(most, support[root] || 0);
    const direction = most >= 2 ? 1 : -1;
    let chosen = null;
    for (const [root, removed] of options) {
      if ((support[root] || 0) !== most) continue;
      if (chosen === null) { chosen = root; continue; }
      const a = direction * removed, b = direction * options.get(chosen);
      if (a < b || (a === b && root < chosen)) chosen = root;
    }
    return chosen;
  }

  /** The root of a word among the manual's roots (``support``: root -> words sharing it), or the word. */
  function rootOf(word, support) {
    const known = new Map([...candidates(word)].filter(([root]) => Object.hasOwn(support, root)));
    return known.size ? best(known, support) : word;
  }

  const WORD = /[a-z]+/g;
  const words = text => text.toLowerCase().match(WORD) || [];

  /** The query with every plain word replaced by its root; numbers and codes stay as typed. */
  function rootQuery(query, support) {
    return query.split(/\s+/).filter(Boolean).map(token => {
      const lower = token.toLowerCase();
      if (!/^[a-z]+(-[a-z]+)*$/.test(lower)) return token;
      return [...new Set(lower.split("-").map(word => rootOf(word, support)))].join(" ");
    }).join(" ");
  }

  // -- the index: started at once when the page was opened with ?q= (this script runs from <head>) ---
  //
  // partials/sop-search-preload.html has already asked for Pagefind's module, its WebAssembly, its entry
  // file (under the cache tag it put on <html>) and the roots while the page loads; the requests below
  // are answered from those preloads.

  const script = document.currentScript;
  const base = new URL("../../", script.src);  // the script is assets/javascripts/sop-search.js
  let engine = null;
  let roots = null;
  let support = {};

  function loadRoots() {
    roots ??= fetch(new URL(script.dataset.roots, base)).then(response => response.ok ? response.json() : {})
      .then(found => { support = found; }, () => {});
    return roots;
  }

  function load() {
    loadRoots();
    engine ??= (async () => {
      const pagefind = await import(new URL(script.dataset.bundle, base).href);
      const tag = document.documentElement.dataset.sopSearchTag;
      // On the main thread: a worker would first have to start and compile the WebAssembly again.
      await pagefind.options({baseUrl: base.pathname, excerptLength: 0, noWorker: true,
                              ...(tag ? {metaCacheTag: tag} : {})});
      await pagefind.init();
      await Promise.all([roots, ready(pagefind)]);
      return pagefind;
    })();
    return engine;
  }

  /** Once Pagefind's WebAssembly and metadata are loaded. Pagefind's calls wait for them in steps of
   * 50 ms; a few empty searches, started 10 ms apart, notice sooner (an empty query returns before any
   * work, and fails as a real one would when the index cannot load). */
  function ready(pagefind) {
    return new Promise((resolve, reject) => {
      let probes = 0;
      const timer = setInterval(probe, 10);
      function probe() {
        if (++probes >= 5) clearInterval(timer);
        pagefind.search("").then(() => { clearInterval(timer); resolve(); },
                                 error => { clearInterval(timer); reject(error); });
      }
      probe();
    });
  }

  // -- the first page of a one-word search, worked out at build time (plugins/sop_manual/first_page.py) ------
  //
  // Pagefind's first search in a page is slow (cold WebAssembly): the first page of a one-word query comes
  // from a small file instead, one per hash of the word's first letters, and Pagefind then adds the count,
  // the filters, the excerpts and every later result.

  const MIN_KEY = 3;
  const PREFIX = 4;
  const FIRST_SIZE = 10;
  const loadTag = String(Date.now());  // the files change with each build: never read from an old copy
  const buckets = new Map();

  /** FNV-1a (32 bits) of the word's first letters: first_page.bucket() (and partials/sop-search-preload.html). */
  function bucketOf(word) {
    let value = 0x811c9dc5;
    for (const letter of word.slice(0, PREFIX)) value = Math.imul(value ^ letter.charCodeAt(0), 0x01000193) >>> 0;
    return value % Number(script.dataset.buckets);
  }

  function loadBucket(word) {
    const number = bucketOf(word);
    if (!buckets.has(number)) {
      const tag = document.documentElement.dataset.sopSearchTag || loadTag;
      const url = new URL(`${script.dataset.first}/${number.toString(16).padStart(2, "0")}.json?ts=${tag}`, base);
      buckets.set(number, fetch(url).then(response => response.ok ? response.json() : null).catch(() => null));
    }
    return buckets.get(number);
  }

  /** The first page of results of a one-word query as Pagefind pages without content ({url, meta}), or null
   * when Pagefind must answer (not one plain word, a prefix of longer words, no file, nothing found). The
   * searches follow plan(): in force as typed, through the root, then revoked; a search's pages are shown
   * only after all those of the searches before it. */
  async function firstPage(query) {
    const word = query.toLowerCase();
    if (!/^[a-z]+$/.test(word) || word.length < MIN_KEY || !script.dataset.first) return null;
    const own = await loadBucket(word);
    if (!own) return null;
    let typed = own.k[word];
    if (!typed) {  // Pagefind would take the words starting with it, else the longest word it starts with
      if (word.length < PREFIX) return null;  // the words starting with it are in several files
      const keys = Object.keys(own.k);
      if (keys.some(key => key.startsWith(word) || word.startsWith(key)) || own.s.some(short => word.startsWith(short))) {
        return null;
      }
      typed = [[], 0, [], 0];
    }
    const rows = {...own.p};
    let rooted = typed;
    if (typed[1] < FIRST_SIZE) {  // the pages with the word as typed do not fill the page: its root's too
      await loadRoots();
      const root = rootOf(word, support);
      if (root !== word) {
        const other = await loadBucket(root);
        rooted = other?.k[root];
        if (!rooted) return null;
        Object.assign(rows, other.p);
      }
    }
    const segments = rooted === typed ? [[typed, 0], [typed, 2]] : [[typed, 0], [rooted, 0], [typed, 2], [rooted, 2]];
    const chosen = [];
    for (const [lists, at] of segments) {
      const [ids, total] = [lists[at], lists[at + 1]];
      for (const id of ids) {
        if (chosen.length < FIRST_SIZE && !chosen.includes(id)) chosen.push(id);
      }
      if (chosen.length >= FIRST_SIZE || ids.length < total) break;  // full, or the rest of this search comes later
    }
    if (!chosen.length) return null;
    return chosen.map(id => {
      const [path, title, nomor, unit, status] = rows[id];
      return {url: base.pathname + path, meta: {title, nomor, unit, status}, content: ""};
    });
  }

  // A page opened with ?q= starts at once (this script runs from <head>; run() shows the results once the
  // search box exists): for one word its first page, with Pagefind's start-up left until that is drawn
  // (it would hold the page's thread meanwhile; its files are already on their way, see above).
  const initial = new URLSearchParams(location.search).get("q")?.trim();
  let initialPage = null;  // promise of the first page of the initial query (null: Pagefind's)
  if (initial && /^[a-z]+$/i.test(initial)) {
    const word = initial.toLowerCase();
    loadRoots().then(() => {  // the root's file too, in case the word's own results do not fill the page
      const root = rootOf(word, support);
      if (root !== word && root.length >= MIN_KEY) loadBucket(root);
    });
    initialPage = firstPage(initial).catch(() => null);
    initialPage.then(pages => { if (!pages) load().catch(() => {}); });
  } else if (initial) {
    load().catch(() => {});
  }

  window.sopSearch = {candidates, rootOf, rootQuery, bucketOf};

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();

  // -- the search box -------------------------------------------------------------------------------

  function setup() {
    const PAGE_SIZE = FIRST_SIZE;
    const root = document.querySelector("[data-sop-search]");
    if (!root) return;
    const settings = JSON.parse(root.querySelector("[data-sop-search-settings]").textContent);
    const L = settings.labels;
    const input = root.querySelector("[data-sop-search-input]");
    const form = input.form;
    const list = root.querySelector("[data-search-results]");
    const meta = root.querySelector("[data-sop-search-meta]");
    const filterBox = root.querySelector("[data-sop-search-filters]");
    const more = root.querySelector("[data-sop-search-more]");
    const toggle = document.getElementById("__search");

    let chosen = {};
    let results = [];  // Pagefind's, in its order
    let cursor = 0;  // results before it have been looked at
    let held = [];  // pages looked at but not shown yet, in order
    let shown = new Map();  // path of each page shown -> {li, filled: whether its excerpt is there}
    let generation = 0;
    let warm = false;  // Pagefind has answered once: its searches are fast now

    const valueLabel = value => L[`value.${value}`] || value;

    function buildFilters(available) {
      filterBox.replaceChildren();
      for (const [name, title] of settings.filters) {
        const values = Object.keys(available[name] || {}).sort((a, b) => valueLabel(a).localeCompare(valueLabel(b)));
        if (values.length < 2) continue;
        const label = document.createElement("label");
        label.className = "sop-search-filter";
        const caption = document.createElement("span");
        caption.textContent = title;
        const select = document.createElement("select");
        select.dataset.filter = name;
        select.append(new Option(L["search.all"], ""));
        for (const value of values) select.append(new Option(valueLabel(value), value));
        select.addEventListener("change", () => {
          if (select.value) chosen[name] = select.value; else delete chosen[name];
          run();
        });
        label.append(caption, select);
        filterBox.append(label);
      }
    }

    /** The searches of a query, best first: in force as typed, in force through the roots, then the revoked
     * (dicabut) SOPs the same two ways; with a status chosen in the filters, that status only. */
    function plan(query) {
      const rooted = rootQuery(query, support);
      const texts = rooted === query ? [query] : [query, rooted];
      const statuses = chosen.status ? [chosen] : [{...chosen, status: {not: "dicabut"}}, {...chosen, status: "dicabut"}];
      return statuses.flatMap(filters => texts.map(text => ({text, filters})));
    }

    function count() {
      meta.textContent = results.length === 0 ? L["search.none"] : results.length === 1 ? L["search.count.one"]
        : L["search.count"].replace("{count}", results.length);
    }

    /** The list is ``aria-busy`` while searches run or results load into it. */
    let pending = 0;
    async function busy(work) {
      pending++;
      list.setAttribute("aria-busy", "true");
      try {
        return await work();
      } finally {
        if (--pending === 0) list.removeAttribute("aria-busy");
      }
    }

    const run = () => busy(search);

    /** Runs the searches of the query one after the other and shows the first page of results as soon as
     * the searches so far fill it (or all have run): the later searches only add results below it. */
    async function search() {
      const query = input.value.trim();
      const mine = ++generation;
      setParam(query);
      if (!query) {
        results = [];
        list.replaceChildren();
        delete list.dataset.query;
        meta.textContent = L["search.start"];
        more.hidden = true;
        return;
      }
      meta.textContent = L["search.loading"];
      const unavailable = () => {  // no index (search: false, a failed build) or WebAssembly refused by the site's CSP
        if (mine !== generation) return;
        meta.textContent = L["search.unavailable"];
        if (early) {  // a first page without the rest would pass for the whole
          list.replaceChildren();
          shown = new Map();
        }
      };
      let early = false;  // the first page came from the first-page files
      if (!warm && !Object.keys(chosen).length) {
        if (query !== initial || !initialPage) load().catch(() => {});  // in parallel
        const pages = await (query === initial && initialPage ? initialPage : firstPage(query).catch(() => null));
        if (mine !== generation) return;
        if (pages) {
          early = true;
          showFirst(query, pages);
        }
      }
      let pagefind;
      try {
        pagefind = await load();
      } catch (error) {
        return unavailable();
      }
      if (mine !== generation) return;
      const searches = plan(query);
      // The index chunks of the later searches load while the first one runs.
      for (const {text, filters} of searches.slice(1)) pagefind.preload(text, {filters}).catch(() => {});
      const found = [];
      const seen = new Set();
      let painted = false;
      for (const [index, {text, filters}] of searches.entries()) {
        let answer;
        try {
          answer = await pagefind.search(text, {filters});
        } catch (error) {
          return unavailable();
        }
        warm = true;
        if (mine !== generation) return;
        for (const result of answer?.results || []) {
          if (!seen.has(result.id)) { seen.add(result.id); found.push(result); }
        }
        if (painted) {
          count();
          more.hidden = !held.length && cursor >= results.length;
        } else if (found.length >= PAGE_SIZE || index === searches.length - 1) {
          painted = true;
          results = found;  // grows with the later searches
          await (early ? complete(query, mine) : showMore(query, mine, true));
          if (mine !== generation) return;
        }
      }
      if (!filterBox.childElementCount) {  // after the results: the filter lists are not needed before
        buildFilters(await pagefind.filters());
        filterBox.hidden = !filterBox.childElementCount;
      }
    }

    const pathOf = url => new URL(url, location.href).pathname;

    /** The first page from the first-page files (pages without their content: the excerpts come with Pagefind). */
    function showFirst(query, pages) {
      const terms = queryTerms(query);
      results = [];
      cursor = 0;
      held = [];
      shown = new Map();
      list.replaceChildren(...pages.map(page => {
        const li = item(page, terms);
        shown.set(pathOf(page.url), {li, filled: false});
        return li;
      }));
      list.dataset.query = query;  // which query the results shown belong to
      meta.textContent = L["search.first"];
      more.hidden = true;
    }

    /** A result shown before its fragment gets its excerpt (in place: a focused link keeps its focus). */
    function fill(known, page, terms) {
      known.li.querySelector("article").lastElementChild.replaceWith(excerpt(page.content || "", page.meta.title || "", terms));
      known.filled = true;
    }

    /** Pagefind has answered a query whose first page came from the first-page files: the count, the excerpts
     * (from the fragments of Pagefind's first results), and the page filled up to PAGE_SIZE if it was short. */
    async function complete(query, mine) {
      const terms = queryTerms(query);
      count();
      if (!results.length) {  // nothing after all (the first-page files are of another build)
        list.replaceChildren();
        shown = new Map();
      }
      let missing = [...shown.values()].filter(known => !known.filled).length;
      while (missing && cursor < Math.min(results.length, 3 * PAGE_SIZE)) {
        const slice = results.slice(cursor, cursor + PAGE_SIZE);
        cursor += slice.length;
        for (const loading of slice.map(result => result.data())) {
          const page = await loading;
          if (mine !== generation) return;
          const known = shown.get(pathOf(page.url));
          if (!known) held.push(page);
          else if (!known.filled) { fill(known, page, terms); missing--; }
        }
      }
      await showMore(query, mine, false, PAGE_SIZE - shown.size);
    }

    /** The next results not shown yet, each as soon as it and those above it have loaded; ``fresh``: in place
     * of the previous query's, at once (the list is never empty between). */
    async function showMore(query, mine, fresh = false, wanted = PAGE_SIZE) {
      const terms = queryTerms(query);
      if (fresh) {
        cursor = 0;
        held = [];
        shown = new Map();
      }
      let added = 0;
      const place = page => {
        const li = item(page, terms);
        if (fresh && !added) {
          list.replaceChildren(li);
          list.dataset.query = query;
        } else {
          list.append(li);
        }
        shown.set(pathOf(page.url), {li, filled: true});
        added++;
      };
      while (added < wanted && held.length) place(held.shift());
      while (added < wanted && cursor < results.length) {
        const slice = results.slice(cursor, cursor + wanted - added);
        cursor += slice.length;
        for (const loading of slice.map(result => result.data())) {
          const page = await loading;
          if (mine !== generation) return;
          const known = shown.get(pathOf(page.url));
          if (known) {
            if (!known.filled) fill(known, page, terms);
          } else if (added < wanted) {
            place(page);
          } else {
            held.push(page);
          }
        }
      }
      if (fresh) {
        if (!added) {
          list.replaceChildren();
          list.dataset.query = query;
        }
        count();
      }
      more.hidden = !held.length && cursor >= results.length;
    }

    function queryTerms(query) {
      const typed = new Set(words(query));
      return {typed, roots: new Set([...typed].map(word => rootOf(word, support)))};
    }

    const pageRoots = new Map();  // word of a page -> its root (support no longer changes once results show)
    const matches = (word, terms) => {
      const lower = word.toLowerCase();
      if (!pageRoots.has(lower)) pageRoots.set(lower, rootOf(lower, support));
      return terms.typed.has(lower) || [...terms.typed].some(typed => lower.startsWith(typed) && typed.length >= 3)
        || terms.roots.has(pageRoots.get(lower));
    };

    /** About 30 words of the page around its first match past the title (shown above), the matches marked. */
    function excerpt(content, title, terms) {
      const text = content.split(settings.mark)[0];
      const tokens = text.split(/(\s+)/);
      const hit = token => words(token).some(word => matches(word, terms));
      const inTitle = new Set();  // tokens of the title wherever it repeats (heading, identity sheet)
      for (let at = title ? text.indexOf(title) : -1, offset = 0, index = 0; at >= 0; at = text.indexOf(title, at + 1)) {
        for (; index < tokens.length && offset < at + title.length; offset += tokens[index].length, index++) {
          if (offset >= at) inTitle.add(index);
        }
      }
      const later = tokens.findIndex((token, index) => !inTitle.has(index) && hit(token));
      const at = later >= 0 ? later : tokens.findIndex(hit);
      const start = Math.max(0, at - 12);
      const paragraph = document.createElement("p");
      if (start > 0) paragraph.append("\u2026 ");
      for (const token of tokens.slice(start, start + 60)) {
        if (hit(token)) {
          const mark = document.createElement("mark");
          mark.textContent = token;
          paragraph.append(mark);
        } else {
          paragraph.append(token);
        }
      }
      if (start + 60 < tokens.length) paragraph.append(" \u2026");
      return paragraph;
    }

    function badge(axis, value) {
      const span = document.createElement("span");
      span.className = "sop-badge";
      span.dataset.axis = axis;
      span.dataset.value = value;
      span.textContent = valueLabel(value);
      return span;
    }

    function item(page, terms) {
      const li = document.createElement("li");
      li.className = "md-search-result__item sop-search-result";
      const link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = page.url;
      const article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      const heading = document.createElement("h1");
      heading.textContent = page.meta.title || page.url;
      article.append(heading);
      if (page.meta.nomor) {
        li.dataset.sopNomor = page.meta.nomor;
        li.dataset.status = page.meta.status || "";
        if (page.meta.status === "dicabut") li.classList.add("sop-search-result--dicabut");
        const details = document.createElement("p");
        details.className = "sop-search-details";
        const nomor = document.createElement("span");
        nomor.className = "sop-search-nomor";
        nomor.textContent = page.meta.nomor;
        const unit = document.createElement("span");
        unit.className = "sop-search-unit";
        unit.textContent = page.meta.unit || "";
        details.append(nomor, unit, badge("status", page.meta.status || ""));
        article.append(details);
      }
      article.append(excerpt(page.content || "", page.meta.title || "", terms));
      link.append(article);
      li.append(link);
      return li;
    }

    function setParam(query) {
      const url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      history.replaceState(history.state, "", url);
    }

    /** Opens the search box; ``start``: Pagefind too (not while the first page of ?q= is still to be drawn). */
    function open(focus = true, start = true) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      if (focus) { input.focus(); input.select(); }
      if (start) load().catch(() => { meta.textContent = L["search.unavailable"]; });
    }

    function close() {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      input.blur();
    }

    let timer = 0;
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("focus", () => { if (!toggle.checked) open(false); });
    form.addEventListener("submit", event => { event.preventDefault(); clearTimeout(timer); run(); });
    form.addEventListener("reset", () => { setTimeout(() => { run(); input.focus(); }); });
    more.addEventListener("click", () => busy(() => showMore(input.value.trim(), generation)));

    const typing = element => element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
    document.addEventListener("keydown", event => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (toggle.checked) {
        const links = [...list.querySelectorAll("a")];
        const index = links.indexOf(document.activeElement);
        if (event.key === "Escape") { event.preventDefault(); close(); }
        else if (event.key === "ArrowDown" && links.length) {
          event.preventDefault(); links[Math.min(index + 1, links.length - 1)].focus();
        } else if (event.key === "ArrowUp" && index >= 0) {
          event.preventDefault(); (index === 0 ? input : links[index - 1]).focus();
        }
      } else if (["/", "s", "f", "S", "F"].includes(event.key) && !typing(document.activeElement)) {
        event.preventDefault();
        open();
      }
    });

    if (initial) {
      input.value = initial;
      open(false, !initialPage);
      run();
    }
  }
})();
