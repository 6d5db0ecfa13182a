import { barChart } from './svg-chart';

describe('SVG bar chart', () => {
  const series = [
    { name: 'Marketing', color: '#c00' },
    { name: 'IT', color: '#00c' },
  ];

  it('draws stacked bars proportional to the largest row, escaping labels', () => {
    const svg = barChart(
      [
        { label: '<script>x</script>', values: [300n, 100n], caption: '€4.00' },
        { label: 'B', values: [200n, 0n] },
      ],
      series,
      { title: 'Spend & more', stacked: true },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('Spend &amp; more');
    // Largest row is 400 → full bar width 400 px (760 − 210 − 130 − 20); 300 → 300 px.
    expect(svg).toContain('width="300"');
    expect(svg).toContain('width="100"');
    expect(svg).toContain('width="200"');
    expect(svg).toContain('€4.00');
  });

  it('draws grouped bars and survives empty and negative data', () => {
    const svg = barChart([{ label: 'A', values: [-5n, 10n] }], series, { title: 't', stacked: false });
    expect(svg).toContain('width="0"');
    expect(svg).toContain('width="400"');
    expect(barChart([], series, { title: 't', stacked: true })).toContain('No data');
  });
});
