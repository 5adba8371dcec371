// A dashboard chart in the console: the shared chart.js canvas with its one-sentence description for
// screen readers, and the same data as a table behind a disclosure.
import { Box, Card, CardContent, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material'
import { useRef } from 'react'
import { chartHeight, useBarChart } from '../../ui/charts'
import type { ChartSpec } from '../../ui/stats'
import { WideTable } from './WideTable'

function Chart({ spec }: { spec: ChartSpec }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useBarChart(canvas, spec)
  const format = spec.format ?? String
  return (
    <figure style={{ margin: 0 }}>
      <Box sx={{ position: 'relative', width: '100%', height: chartHeight(spec.data, spec.horizontal) }}>
        <canvas ref={canvas} role="img" aria-label={spec.summary} />
      </Box>
      <details style={{ marginTop: 12 }}>
        <summary style={{ cursor: 'pointer' }}>Show the data as a table</summary>
        <WideTable>
          <TableHead>
            <TableRow>
              <TableCell>{spec.labelHeader}</TableCell>
              <TableCell align="right">{spec.valueHeader}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {spec.data.map((item) => (
              <TableRow key={item.id ?? item.label}>
                <TableCell component="th" scope="row">
                  {item.label}
                </TableCell>
                <TableCell align="right">{format(item.value)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </WideTable>
      </details>
    </figure>
  )
}

export function BarFigure({ spec }: { spec: ChartSpec }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h2" variant="h6" gutterBottom>
          {spec.title}
        </Typography>
        {spec.empty ? <Typography color="text.secondary">{spec.empty}</Typography> : <Chart spec={spec} />}
      </CardContent>
    </Card>
  )
}
