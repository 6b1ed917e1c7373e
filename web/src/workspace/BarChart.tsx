// A plain SVG bar chart with its numbers also as text, so screen readers get the same data.

export interface Bar {
  label: string;
  value: number | null;
  note?: string;
}

export function BarChart({
  title,
  bars,
  max,
  unit,
}: {
  title: string;
  bars: Bar[];
  max: number;
  unit: string;
}) {
  const width = 420;
  const rowHeight = 28;
  const labelWidth = 110;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const scale = (value: number) => ((width - labelWidth - 60) * Math.min(value, max)) / max;
  return (
    <figure style="margin:0">
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {bars.map((bar, index) => {
          const y = index * rowHeight + 4;
          return (
            <g key={bar.label}>
              <text x="0" y={y + 17}>
                {bar.label}
              </text>
              <rect
                x={labelWidth}
                y={y + 4}
                width={bar.value === null ? 0 : scale(bar.value)}
                height="18"
                fill="#0b5cad"
              />
              <text x={labelWidth + (bar.value === null ? 0 : scale(bar.value)) + 6} y={y + 17}>
                {bar.value === null ? 'no data' : `${Math.round(bar.value * 100) / 100}${unit}`}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="visually-hidden">
        <ul>
          {bars.map((bar) => (
            <li key={bar.label}>
              {bar.label}: {bar.value === null ? 'no data' : `${bar.value}${unit}`}
              {bar.note ? ` (${bar.note})` : ''}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
