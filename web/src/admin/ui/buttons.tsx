// The console's button: react-admin's, which on a phone shrinks to its icon. Two gaps are closed
// there: a button without an icon keeps its words (react-admin would leave it empty), and a
// disabled one keeps its spoken name (react-admin drops it with the tooltip).
import { Button as MuiButton } from '@mui/material'
import { type ButtonProps, Button as RaButton } from 'react-admin'

type Props = Omit<ButtonProps, 'label'> & { label: string }

export function Button({ label, children, alignIcon, ...rest }: Props) {
  if (!children)
    return (
      <MuiButton size="small" {...rest}>
        {label}
      </MuiButton>
    )
  return (
    <RaButton aria-label={label} label={label} alignIcon={alignIcon} {...rest}>
      {children}
    </RaButton>
  )
}
