// A bar chart drawn with chart.js on a canvas the caller renders (only the pieces it needs are
// registered, so the rest is tree-shaken). The web app and the admin console wrap it in their own
// markup; both describe it for screen readers and offer its data as a table.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js'
import { type RefObject, useEffect } from 'react'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip)

export type BarDatum = { id?: string; label: string; value: number; color?: string }

export type BarChartOptions = {
  data: BarDatum[]
  horizontal?: boolean
  valueHeader: string
  format?: (value: number) => string
  max?: number
}

const asText = (value: number) => String(value)

export function useBarChart(
  canvas: RefObject<HTMLCanvasElement | null>,
  { data, horizontal = false, valueHeader, format = asText, max }: BarChartOptions,
) {
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
  }, [canvas, data, horizontal, valueHeader, format, max])
}

/** The canvas's height: room for every bar of a horizontal chart, a fixed height otherwise. */
export const chartHeight = (data: BarDatum[], horizontal = false) =>
  horizontal ? Math.max(160, data.length * 44 + 40) : 240
