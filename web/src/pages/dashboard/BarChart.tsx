// The web app's bar chart: the shared chart.js canvas (ui/charts), described for screen readers by its
// aria-label and, for everyone, by a data table one click away.
import { useRef } from 'react'
import { type BarDatum, chartHeight, useBarChart } from '../../ui/charts'

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
  useBarChart(canvas, { data, horizontal, valueHeader, format, max })
  const height = chartHeight(data, horizontal)
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
