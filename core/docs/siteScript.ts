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
  function why(match) {
    var parts = [];
    Object.keys(match).forEach(function (term) {
      match[term].forEach(function (field) { parts.push((data.labels[field] || field) + ' “' + term + '”'); });
    });
    return parts.length > 4 ? parts.slice(0, 4).join(', ') + ', +' + (parts.length - 4) + ' more' : parts.join(', ');
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
      line.textContent = 'Matched ' + why(result.match);
      line.hidden = false;
      list.appendChild(card);
    });
    status.textContent = results.length === 1 ? '1 product matches' : results.length + ' products match';
    none.hidden = results.length > 0;
  }
  input.disabled = false;
  input.addEventListener('input', function () { show(input.value); });
  var first = new URLSearchParams(window.location.search).get('q');
  if (first) input.value = first;
  show(input.value);
})();
`;
