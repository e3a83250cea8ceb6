/*
 * The docs site's one script of its own (assets/search.js), written as a file the page loads:
 * the Content-Security-Policy allows scripts from the site's folder only, never inline ones.
 * It reads the MiniSearch index that assets/search-data.js assigns (a script, not a fetched
 * JSON file: Chromium refuses fetch() on file:// pages), loads it into MiniSearch's own browser
 * build (assets/minisearch.js) and shows the matching product cards in score order. Results go
 * into the page with textContent only. Without scripts the page lists every product.
 */
export const SEARCH_SCRIPT = `(function () {
  'use strict';
  var data = window.QUANTA_DOCS;
  var input = document.getElementById('q');
  var list = document.getElementById('products');
  var status = document.getElementById('search-status');
  var none = document.getElementById('no-results');
  if (!data || !input || !list || typeof MiniSearch === 'undefined') return;
  var index = MiniSearch.loadJS(data.index, data.options);
  var cards = Array.prototype.slice.call(list.children);
  var byPage = {};
  cards.forEach(function (card) { byPage[card.getAttribute('data-page')] = card; });
  // The "Matched" line: fields with more of the query's words first; for columns, the column names themselves.
  function why(result) {
    var fields = {};
    Object.keys(result.match).forEach(function (term) {
      result.match[term].forEach(function (field) { (fields[field] = fields[field] || []).push(term); });
    });
    var boost = data.searchOptions.boost || {};
    var order = Object.keys(fields).sort(function (a, b) {
      return fields[b].length - fields[a].length || (boost[b] || 1) - (boost[a] || 1);
    });
    var parts = order.map(function (field) {
      var columns = field === 'columns' ? bestColumns(result.columns || '', fields[field]) : [];
      if (columns.length > 0) return (columns.length === 1 ? 'column ' : 'columns ') + columns.join(', ');
      return (data.labels[field] || field) + ' “' + fields[field].join(' ') + '”';
    });
    return parts.length > 3 ? parts.slice(0, 3).join(' · ') + ' · +' + (parts.length - 3) + ' more' : parts.join(' · ');
  }
  function bestColumns(text, terms) {
    var scored = text.split(' ').map(function (name) {
      var lower = name.toLowerCase();
      var words = lower.split(/[_.-]+/);
      var hits = terms.filter(function (t) { return lower === t || words.indexOf(t) >= 0; }).length;
      return { name: name, hits: hits };
    });
    var most = Math.max.apply(null, scored.map(function (s) { return s.hits; }).concat([0]));
    if (most === 0) return [];
    return scored.filter(function (s) { return s.hits === most; }).slice(0, 2).map(function (s) { return s.name; });
  }
  function show(query) {
    var q = query.trim().slice(0, 256);
    cards.forEach(function (card) { card.querySelector('.card-why').hidden = true; });
    if (q === '') {
      cards.forEach(function (card) { card.hidden = false; list.appendChild(card); });
      status.textContent = cards.length + ' products';
      none.hidden = true;
      return;
    }
    var results = index.search(q, data.searchOptions);
    cards.forEach(function (card) { card.hidden = true; });
    results.forEach(function (result) {
      var card = byPage[result.id];
      if (!card) return;
      card.hidden = false;
      var line = card.querySelector('.card-why');
      line.textContent = 'Matched ' + why(result);
      line.hidden = false;
      list.appendChild(card);
    });
    status.textContent = results.length === 1 ? '1 product matches' : results.length + ' products match';
    none.hidden = results.length > 0;
  }
  input.disabled = false;
  input.addEventListener('input', function () { show(input.value); });
  // "/" jumps to the search box, as on most documentation sites; typing in a field is left alone.
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
  var first = new URLSearchParams(window.location.search).get('q');
  if (first) input.value = first;
  show(input.value);
})();
`;
