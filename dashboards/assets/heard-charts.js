/*
 * heard-charts.js draws every chart of a page with ECharts (loaded before
 * it). Each chart is an element with an id and a block
 *   <script type="application/json" data-chart-for="ID">{...}</script>
 * holding {option, tooltips, height, download, title, renderer}. The block is read
 * with JSON.parse, so nothing in it ever runs; text from uploads stays text:
 * ECharts draws labels on a canvas, and tooltips are built here with
 * textContent, never as HTML. No inline script is needed, so a strict
 * Content-Security-Policy works.
 *
 * After drawing a chart its element gets data-chart-ready="1" (or
 * data-chart-error with the reason), and echarts.getInstanceByDom(element)
 * returns its instance. window.heardCharts.init() draws charts added later.
 */
(function () {
  'use strict';

  // Renderers of custom series, by the name a chart's option gives in
  // renderItem. A custom series naming anything else is dropped.
  var renderers = {
    // intervalH draws a horizontal interval [low, high] at category index,
    // once: a line with a cap at each end, in the series' colour (bars
    // under it are light, so it reads on them and on the background).
    // Data items are [low, high, index].
    intervalH: function (params, api) {
      var low = api.value(0);
      var high = api.value(1);
      var index = api.value(2);
      if (!isFinite(low) || !isFinite(high)) {
        return null;
      }
      var a = api.coord([low, index]);
      var b = api.coord([high, index]);
      var cap = api.size([0, 1])[1] * 0.22;
      var pen = [api.visual('color'), 2];
      return {
        type: 'group',
        children: [
          line(a[0], a[1], b[0], b[1], pen),
          line(a[0], a[1] - cap, a[0], a[1] + cap, pen),
          line(b[0], b[1] - cap, b[0], b[1] + cap, pen)
        ]
      };
    }
  };

  function line(x1, y1, x2, y2, pen) {
    return {
      type: 'line',
      shape: { x1: x1, y1: y1, x2: x2, y2: y2 },
      style: { stroke: pen[0], lineWidth: pen[1] }
    };
  }

  // tooltipFormatter shows the lines of the category under the pointer as
  // text nodes: the first line bold, then one line each.
  function tooltipFormatter(lines) {
    return function (params) {
      var p = Array.isArray(params) ? params[0] : params;
      var rows = p && lines[p.dataIndex];
      if (!Array.isArray(rows)) {
        return '';
      }
      var box = document.createElement('div');
      box.className = 'heard-tooltip';
      rows.forEach(function (text, i) {
        var row = document.createElement(i === 0 ? 'strong' : 'span');
        row.textContent = String(text);
        box.appendChild(row);
      });
      return box;
    };
  }

  // prepare turns a chart's spec into an ECharts option.
  function prepare(spec) {
    var option = spec.option || {};
    option.aria = option.aria || {};
    option.aria.enabled = true;
    delete option.toolbox; // its data view writes HTML
    option.tooltip = Object.assign({}, option.tooltip, {
      renderMode: 'html',
      confine: true,
      formatter: tooltipFormatter(Array.isArray(spec.tooltips) ? spec.tooltips : [])
    });
    option.series = (option.series || []).filter(function (s) {
      if (s.type !== 'custom') {
        return true;
      }
      if (!Object.prototype.hasOwnProperty.call(renderers, s.renderItem)) {
        return false;
      }
      s.renderItem = renderers[s.renderItem];
      return true;
    });
    return option;
  }

  // Text measuring for the layout, with the fonts the options use; where
  // there is no canvas (a test's fake DOM) an average letter is taken as
  // 0.6 of the font size.
  var measurer = null;
  function textWidth(text, font) {
    if (measurer === null) {
      var canvas = document.createElement('canvas');
      measurer = (canvas && typeof canvas.getContext === 'function' && canvas.getContext('2d')) || false;
    }
    if (!measurer) {
      return String(text).length * 0.6 * parseFloat(String(font).replace(/^\D*/, ''));
    }
    measurer.font = font;
    return measurer.measureText(String(text)).width;
  }

  // wrapText breaks text at spaces into lines no wider than width (a word
  // wider than a line is cut between letters), at most maxLines lines,
  // the last ending with an ellipsis when text was left out.
  function wrapText(text, font, width, maxLines) {
    // Split at ordinary spaces only: a no-break space keeps "n = 412"
    // together.
    var words = String(text || '').split(/[ \t\n]+/).filter(Boolean);
    var lines = [];
    var cur = '';
    words.forEach(function (word) {
      while (textWidth(word, font) > width && word.length > 1) {
        if (cur) { lines.push(cur); cur = ''; }
        var k = word.length - 1;
        while (k > 1 && textWidth(word.slice(0, k), font) > width) { k--; }
        lines.push(word.slice(0, k));
        word = word.slice(k);
      }
      var next = cur ? cur + ' ' + word : word;
      if (cur && textWidth(next, font) > width) {
        lines.push(cur);
        cur = word;
      } else {
        cur = next;
      }
    });
    if (cur || lines.length === 0) { lines.push(cur); }
    if (lines.length > maxLines) {
      lines = lines.slice(0, maxLines);
      var last = lines[maxLines - 1];
      while (last && textWidth(last + '…', font) > width) { last = last.slice(0, -1); }
      lines[maxLines - 1] = last + '…';
    }
    return lines;
  }

  // legendRows counts the lines a plain legend takes at width: each entry
  // is its symbol (25 px), a 5 px gap and its text, with 10 px between
  // entries, as ECharts lays them out.
  function legendRows(names, width) {
    var rows = 1;
    var x = 0;
    names.forEach(function (name) {
      var w = 25 + 5 + textWidth(name, '12px sans-serif');
      if (x > 0 && x + w > width) {
        rows++;
        x = 0;
      }
      x += w + 10;
    });
    return rows;
  }

  // layout fits a chart's heading, legend and footer to the element's
  // width: it wraps the title, subtitle and footer, moves the legend
  // below the heading and the grid below the legend, and sets the
  // element's height so the plot keeps its height.
  function layout(el, spec, option) {
    var l = spec.layout;
    if (!l) {
      return option;
    }
    var width = Math.max(120, (el.clientWidth || 600) - 16);
    var title = wrapText(l.title, 'bold 15px sans-serif', width, 4);
    var subtitle = wrapText(l.subtitle, '13px sans-serif', width, 4);
    var footer = wrapText(l.footer, '12px sans-serif', width, 3);
    var top = 14 + 20 * title.length + 18 * subtitle.length;
    option.title = Object.assign({}, option.title, { text: title.join('\n'), subtext: subtitle.join('\n') });
    if (option.legend && option.legend.show !== false) {
      var names = (option.legend.data || []).map(function (d) { return typeof d === 'string' ? d : d.name; });
      var rows = legendRows(names, width);
      option.legend = Object.assign({}, option.legend, { type: 'plain', top: top, left: 8, right: 8, itemGap: 10 });
      top += 10 + rows * 14 + (rows - 1) * 10;
    }
    top += l.gap;
    var bottom = l.bottom + 8 + 16 * footer.length;
    option.grid = Object.assign({}, option.grid, { top: top, bottom: bottom });
    option.graphic = (option.graphic || []).map(function (g) {
      if (g.id !== 'heard-footer') {
        return g;
      }
      return Object.assign({}, g, { style: Object.assign({}, g.style, { text: footer.join('\n'), lineHeight: 16 }) });
    });
    el.style.height = (top + l.plot + bottom) + 'px';
    return option;
  }

  // addDownload puts a link after the chart that saves it as a PNG.
  function addDownload(el, chart, spec) {
    var link = document.createElement('a');
    link.className = 'heard-chart__download';
    link.href = '#';
    link.setAttribute('download', String(spec.download));
    link.appendChild(document.createTextNode('Download chart as PNG'));
    if (spec.title) {
      var hidden = document.createElement('span');
      hidden.className = 'heard-visually-hidden';
      hidden.textContent = ': ' + String(spec.title);
      link.appendChild(hidden);
    }
    link.addEventListener('click', function () {
      link.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    });
    el.parentNode.insertBefore(link, el.nextSibling);
  }

  // fitNarrow gives a chart on a narrow screen room for its labels: a
  // category axis's labels take at most 30% of the width (they are
  // truncated; the table has them whole), and the plot keeps a margin on
  // both sides so that labels beside it (a breakdown's figures) stay
  // inside the chart.
  function fitNarrow(option, width) {
    if (!(width > 0) || width >= 600 || !option.title) {
      return; // wide enough, or a sparkline
    }
    [].concat(option.yAxis || []).forEach(function (axis) {
      var label = axis && axis.axisLabel;
      if (label && label.width > 0.3 * width) {
        label.width = Math.floor(0.3 * width);
      }
    });
    [].concat(option.grid || []).forEach(function (grid) {
      ['left', 'right'].forEach(function (side) {
        if (grid && /^[0-9.]+$/.test(String(grid[side]))) {
          grid[side] = String(parseFloat(grid[side]) + 12);
        }
      });
    });
  }

  // watchSize lays the chart out again when its width changes (a phone
  // turned, a window resized), then resizes it.
  function watchSize(el, chart, spec) {
    var width = el.clientWidth;
    var again = function () {
      if (spec.layout && el.clientWidth !== width) {
        width = el.clientWidth;
        var o = chart.getOption();
        chart.setOption(layout(el, spec, { title: o.title[0], legend: o.legend && o.legend[0],
          grid: o.grid && o.grid[0], graphic: (o.graphic && o.graphic[0] && o.graphic[0].elements) || [] }));
      }
      chart.resize();
    };
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(again).observe(el);
    } else {
      window.addEventListener('resize', again);
    }
  }

  function initChart(block) {
    var el = document.getElementById(block.getAttribute('data-chart-for'));
    if (!el || el.hasAttribute('data-chart-ready')) {
      return;
    }
    try {
      var spec = JSON.parse(block.textContent);
      if (spec.height > 0) {
        el.style.height = spec.height + 'px';
      }
      var option = layout(el, spec, prepare(spec));
      fitNarrow(option, el.clientWidth);
      // A chart to print (the board pack) is drawn as SVG, whose lines
      // and text stay sharp on paper; every other chart on a canvas.
      var chart = echarts.init(el, null, { renderer: spec.renderer === 'svg' ? 'svg' : 'canvas' });
      chart.setOption(option);
      if (spec.download) {
        addDownload(el, chart, spec);
      }
      watchSize(el, chart, spec);
      el.setAttribute('data-chart-ready', '1');
    } catch (err) {
      el.setAttribute('data-chart-error', String((err && err.message) || err));
    }
  }

  function init() {
    if (typeof echarts === 'undefined') {
      return;
    }
    var blocks = document.querySelectorAll('script[type="application/json"][data-chart-for]');
    Array.prototype.forEach.call(blocks, initChart);
  }

  window.heardCharts = Object.freeze({ init: init });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
