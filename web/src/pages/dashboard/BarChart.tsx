// A bar chart drawn with chart.js (only the pieces it needs are registered, so the rest is tree-shaken),
// described for screen readers by its aria-label and, for everyone, by a data table one click away.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js'
import { useEffect, useRef } from 'react'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip)

export type BarDatum = { id?: string; label: string; value: number; color?: string }

export function BarChart({
  data,
  summary,
  horizontal = false,
  valueHeader,
  labelHeader,
  format = (value) => String(value),
  max,
}: {
  data: BarDatum[]
  /** What the chart says, in one sentence, for people who cannot see it. */
  summary: string
  horizontal?: boolean
  labelHeader: string
  valueHeader: string
  format?: (value: number) => string
  max?: number
}) {
  const canvas = useRef<HTMLCanvasElement>(null)

  useEffect(() => {
    if (!canvas.current) return
    const valueAxis = {
      beginAtZero: true,
      ...(max !== undefined ? { max } : {}),
      ticks: { precision: 0, color: '#334155', callback: (value: string | number) => format(Number(value)) },
      grid: { color: '#e2e8f0' },
    }
    const labelAxis = { ticks: { color: '#334155', autoSkip: false }, grid: { display: false } }
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: data.map((item) => item.label),
        datasets: [
          {
            label: valueHeader,
            data: data.map((item) => item.value),
            backgroundColor: data.map((item) => item.color ?? '#4338ca'),
            borderRadius: 4,
            maxBarThickness: 36,
          },
        ],
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          tooltip: { callbacks: { label: (item) => `${valueHeader}: ${format(Number(item.raw))}` } },
        },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    })
    return () => chart.destroy()
  }, [data, horizontal, valueHeader, format, max])

  const height = horizontal ? Math.max(160, data.length * 44 + 40) : 240
  return (
    <figure>
      <div className="relative w-full" style={{ height }}>
        <canvas ref={canvas} role="img" aria-label={summary} />
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer rounded-md font-medium text-indigo-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600">
          Show the data as a table
        </summary>
        <table className="mt-2 w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-1 pr-3 font-semibold text-slate-800">
                {labelHeader}
              </th>
              <th scope="col" className="py-1 text-right font-semibold text-slate-800">
                {valueHeader}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((item) => (
              <tr key={item.id ?? item.label} className="border-b border-slate-100">
                <th scope="row" className="py-1 pr-3 font-normal text-slate-800">
                  {item.label}
                </th>
                <td className="py-1 text-right tabular-nums text-slate-800">{format(item.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
