/*
 * heard-charts.js draws every chart of a page with ECharts (loaded before
 * it). Each chart is an element with an id and a block
 *   <script type="application/json" data-chart-for="ID">{...}</script>
 * holding {option, tooltips, height, download, title}. The block is read
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
    // intervalH draws a horizontal interval [low, high] at category index:
    // data items are [low, high, index]. A white halo keeps it visible on
    // a bar as well as on the background.
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
      var children = [];
      [['#ffffff', 4], [api.visual('color'), 2]].forEach(function (pen) {
        children.push(
          line(a[0], a[1], b[0], b[1], pen),
          line(a[0], a[1] - cap, a[0], a[1] + cap, pen),
          line(b[0], b[1] - cap, b[0], b[1] + cap, pen)
        );
      });
      return { type: 'group', children: children };
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

  // wrapLines breaks text into lines no wider than width pixels at
  // spaces, as ctx measures them; a word wider than a line stays whole.
  function wrapLines(ctx, text, width) {
    var lines = [];
    var line = '';
    text.split(/\s+/).forEach(function (word) {
      if (!word) {
        return;
      }
      var next = line ? line + ' ' + word : word;
      if (line && ctx.measureText(next).width > width) {
        lines.push(line);
        line = word;
      } else {
        line = next;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  // fitHeading re-wraps a chart's title and subtitle, which the server
  // wrapped for a wide screen, to the width of the chart's element, so that
  // on a phone they stay inside the chart (and its PNG); the legend, the
  // plot and the element move down by the lines added. It returns the
  // pixels added.
  function fitHeading(option, width) {
    var title = option.title;
    if (!title || Array.isArray(title) || !(width > 0)) {
      return 0;
    }
    var ctx = document.createElement('canvas').getContext('2d');
    var family = (option.textStyle && option.textStyle.fontFamily) || 'sans-serif';
    var avail = width - 2 * (parseFloat(title.left) || 8);
    var added = 0;
    [['text', 'textStyle', 15, 'bold', 20], ['subtext', 'subtextStyle', 13, 'normal', 18]].forEach(function (k) {
      var text = title[k[0]];
      if (typeof text !== 'string' || text === '') {
        return;
      }
      var style = title[k[1]] || {};
      ctx.font = (style.fontWeight || k[3]) + ' ' + (style.fontSize || k[2]) + 'px ' + family;
      var lines = text.split('\n');
      var tooWide = lines.some(function (l) { return ctx.measureText(l).width > avail; });
      if (!tooWide) {
        return;
      }
      var fitted = wrapLines(ctx, lines.join(' '), avail);
      title[k[0]] = fitted.join('\n');
      added += Math.max(0, fitted.length - lines.length) * (style.lineHeight || k[4]);
    });
    if (added > 0) {
      ['legend', 'grid'].forEach(function (name) {
        [].concat(option[name] || []).forEach(function (c) {
          if (c && /^[0-9.]+$/.test(String(c.top))) {
            c.top = String(parseFloat(c.top) + added);
          }
        });
      });
    }
    return added;
  }

  // fitNarrow gives a chart on a narrow screen room for its labels: a
  // category axis's labels take at most 30% of the width (they are
  // truncated; the table has them whole), and the plot keeps a margin on
  // both sides so that labels beside it stay inside the chart.
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

  function watchSize(el, chart) {
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(function () { chart.resize(); }).observe(el);
    } else {
      window.addEventListener('resize', function () { chart.resize(); });
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
      var option = prepare(spec);
      var added = fitHeading(option, el.clientWidth);
      fitNarrow(option, el.clientWidth);
      if (added > 0) {
        el.style.height = (el.clientHeight + added) + 'px';
      }
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(option);
      if (spec.download) {
        addDownload(el, chart, spec);
      }
      watchSize(el, chart);
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
