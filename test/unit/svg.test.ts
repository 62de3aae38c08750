/**
 * The SVG line chart: a well-formed standalone document (checked by a small XML well-formedness
 * checker below, so no XML parser dependency is added), escaped text, one polyline per series inside
 * the plot, a legend naming every series, and no NaN leaking into coordinates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineChart } from '../../src/core/charts/svg.js';

/**
 * Checks the parts of XML well-formedness a generator can get wrong: one root, tags balanced and
 * nested, attributes quoted and unique, and no raw < or stray & in text or attribute values.
 * Throws with the offending token; returns the element names in document order.
 */
function checkWellFormed(xml: string): string[] {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const strayAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  const elements: string[] = [];
  let roots = 0;
  for (const [token] of body.matchAll(/<[^>]*>|[^<]+/g)) {
    if (!token.startsWith('<')) {
      if (stack.length === 0 && token.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(token)}`);
      if (strayAmp.test(token) || token.includes('>')) throw new Error(`unescaped text: ${JSON.stringify(token)}`);
      continue;
    }
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>$/.exec(token);
    if (close) {
      const open = stack.pop();
      if (open !== close[1]) throw new Error(`</${close[1]}> closes <${String(open)}>`);
      continue;
    }
    const open = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>$/.exec(token);
    if (!open) throw new Error(`malformed tag: ${JSON.stringify(token)}`);
    const [, name = '', attrs = '', selfClosing] = open;
    if (stack.length === 0 && ++roots > 1) throw new Error(`second root element <${name}>`);
    const names = [...attrs.matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)].map(([, n = '', v = '']) => {
      if (strayAmp.test(v)) throw new Error(`unescaped & in ${n} of <${name}>`);
      return n;
    });
    if (new Set(names).size !== names.length) throw new Error(`duplicate attribute in ${token}`);
    elements.push(name);
    if (selfClosing !== '/') stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}

/** The numbers of each polyline's points attribute, as [x, y] pairs. */
function polylines(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map(([, pts = '']) =>
    pts === '' ? [] : pts.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]),
  );
}

const rssAndCpu = {
  title: 'Server resources <under load> & "spike"',
  xLabel: 'time (s)',
  yLabel: 'MB / %',
  series: [
    { name: 'RSS (MB)', points: [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 300 + x * 2 })) },
    { name: 'CPU % <avg>', points: [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 40 + (x % 2) * 30 })) },
    { name: "Tom's p95 (ms)", points: [0, 2.5, 5].map((x) => ({ x, y: 12.5 })) },
  ],
};

describe('the tiny well-formedness checker itself', () => {
  it('accepts a small document and rejects the mistakes it exists to catch', () => {
    assert.deepEqual(checkWellFormed('<a x="1"><b/>t &amp; u</a>'), ['a', 'b']);
    assert.throws(() => checkWellFormed('<a><b></a></b>'), /closes/);
    assert.throws(() => checkWellFormed('<a>x & y</a>'), /unescaped/);
    assert.throws(() => checkWellFormed('<a x=1></a>'), /malformed/);
    assert.throws(() => checkWellFormed('<a x="1" x="2"></a>'), /duplicate/);
    assert.throws(() => checkWellFormed('<a></a><b></b>'), /second root/);
    assert.throws(() => checkWellFormed('<a><b></a>'), /closes/);
    assert.throws(() => checkWellFormed('<a>'), /unclosed/);
  });
});

describe('line chart', () => {
  const svg = lineChart(rssAndCpu);

  it('is a well-formed standalone SVG document', () => {
    assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '));
    const elements = checkWellFormed(svg);
    assert.equal(elements[0], 'svg');
    assert.ok(elements.includes('title'));
    assert.match(svg, /width="720" height="400" viewBox="0 0 720 400"/);
  });

  it('escapes its text', () => {
    assert.ok(svg.includes('<title>Server resources &lt;under load&gt; &amp; &quot;spike&quot;</title>'));
    assert.ok(svg.includes('>CPU % &lt;avg&gt;</text>'));
    assert.ok(svg.includes('>Tom&apos;s p95 (ms)</text>'));
    assert.ok(!svg.includes('<under load>'));
  });

  it('draws one polyline per series with all its points, and names every series in the legend', () => {
    const lines = polylines(svg);
    assert.deepEqual(
      lines.map((l) => l.length),
      [6, 6, 3],
    );
    for (const s of rssAndCpu.series)
      assert.ok(
        svg.includes(`>${s.name.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;')}</text>`),
        s.name,
      );
    // A distinct colour per series, the legend's swatch matching its line.
    const colours = [...svg.matchAll(/<polyline stroke="(#[0-9A-Fa-f]{6})"/g)].map(([, c]) => c);
    assert.equal(new Set(colours).size, 3);
    for (const c of colours)
      assert.ok(svg.includes(`stroke="${String(c)}" stroke-width="3"`), `legend swatch ${String(c)}`);
  });

  it('maps data into the plot area: later x further right, larger y higher up', () => {
    const [rss = []] = polylines(svg);
    for (const [x, y] of rss) {
      assert.ok(x >= 72 && x <= 720 - 24 - 170, `x ${x}`);
      assert.ok(y >= 44 && y <= 400 - 56, `y ${y}`);
    }
    for (let i = 1; i < rss.length; i++) {
      assert.ok(rss[i]![0] > rss[i - 1]![0]);
      // RSS grows, and SVG's y axis points down.
      assert.ok(rss[i]![1] < rss[i - 1]![1]);
    }
  });

  it('labels the axes with round ticks, from 0 on y by default', () => {
    assert.ok(svg.includes('>time (s)</text>'));
    assert.ok(svg.includes('>MB / %</text>'));
    const ticks = [...svg.matchAll(/<text [^>]*text-anchor="end">([^<]*)<\/text>/g)].map(([, t]) => t);
    assert.deepEqual(ticks, ['0', '100', '200', '300', '400']);
    const zoomed = lineChart({ ...rssAndCpu, series: rssAndCpu.series.slice(0, 1), yFromZero: false });
    const zoomedTicks = [...zoomed.matchAll(/<text [^>]*text-anchor="end">([^<]*)<\/text>/g)].map(([, t]) => t);
    assert.deepEqual(zoomedTicks, ['300', '302', '304', '306', '308', '310']);
  });

  it('stays well-formed and free of NaN with empty, single-point and non-finite series', () => {
    const odd = lineChart({
      title: 'odd',
      xLabel: 'x',
      yLabel: 'y',
      width: 500,
      height: 300,
      series: [
        { name: 'empty', points: [] },
        { name: 'one', points: [{ x: 3, y: 3 }] },
        {
          name: 'gaps',
          points: [
            { x: 1, y: Number.NaN },
            { x: 2, y: 4 },
            { x: Infinity, y: 1 },
            { x: 4, y: 5 },
          ],
        },
      ],
    });
    checkWellFormed(odd);
    assert.ok(!/NaN|Infinity/.test(odd));
    assert.deepEqual(
      polylines(odd).map((l) => l.length),
      [0, 1, 2],
    );
    assert.match(odd, /width="500" height="300"/);
    const nothing = lineChart({ title: 'no data', xLabel: 'x', yLabel: 'y', series: [] });
    checkWellFormed(nothing);
    assert.equal(polylines(nothing).length, 0);
  });

  it('refuses a size too small to plot in', () => {
    assert.throws(() => lineChart({ ...rssAndCpu, width: 200, height: 100 }), /leaves no room to plot/);
  });
});
