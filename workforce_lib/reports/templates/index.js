(function () {
  'use strict';
  var table = document.getElementById('councils');
  var body = table.tBodies[0];
  var input = document.getElementById('filter');
  var count = document.getElementById('count');
  function words(s) { return ' ' + s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() + ' '; }
  var regions = {};
  Array.prototype.forEach.call(body.rows, function (row) {
    regions[words(row.dataset.region)] = true;
  });
  // Whole names: a region's name shows that region's councils only ("north east" is not
  // North East Lincolnshire); other words match whole words of a council's or region's
  // name ("hull" is Kingston upon Hull, not Solihull).
  input.addEventListener('input', function () {
    var q = words(input.value), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var name = words(row.cells[0].textContent), region = words(row.dataset.region);
      var hit = q === '  ' ? true
        : regions[q] ? region === q
        : name.indexOf(q) >= 0 || region.indexOf(q) >= 0;
      row.hidden = !hit;
      if (hit) shown++;
    });
    count.textContent = shown + (shown === 1 ? ' council' : ' councils');
  });
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var k = +th.dataset.col;
      var up = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[k].dataset.sort, y = b.cells[k].dataset.sort;
        if (x === undefined) {
          x = a.cells[k].textContent; y = b.cells[k].textContent;
          return up ? x.localeCompare(y) : y.localeCompare(x);
        }
        if (x === '' && y === '') return 0;
        if (x === '') return 1;  // no figure: last either way
        if (y === '') return -1;
        return up ? x - y : y - x;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
