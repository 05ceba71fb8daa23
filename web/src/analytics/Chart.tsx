// A line chart drawn by uPlot: x values with one or more series, resized with its container.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

const HEIGHT = 240;

export function LineChart({
  x,
  series,
  time,
  label,
}: {
  x: number[];
  series: ChartSeries[];
  /** x holds epoch seconds (dates on the axis); otherwise plain numbers (hours). */
  time: boolean;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: HEIGHT,
        scales: { x: { time } },
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: x.length < 60 },
          })),
        ],
        axes: [{}, { size: 50 }],
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(320, element.clientWidth), height: HEIGHT }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, time]);
  return <div ref={box} className="analytics-chart" role="img" aria-label={label} />;
}
