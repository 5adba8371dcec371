// The console's look: react-admin's default theme in the web app's indigo, with system fonts (no
// font files to fetch) and contrast that passes WCAG AA.
import { defaultTheme, type RaThemeOptions } from 'react-admin'

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    primary: { main: '#4338ca' },
    secondary: { main: '#3730a3' },
    background: { default: '#f8fafc' },
    // MUI's default red and disabled grey fall short of 4.5:1 on the console's light surfaces.
    error: { main: '#b91c1c' },
    warning: { main: '#b45309' },
    success: { main: '#047857' },
    info: { main: '#475569' },
    text: { disabled: 'rgba(0, 0, 0, 0.6)' },
  },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
  sidebar: { width: 220, closedWidth: 56 },
  components: {
    ...defaultTheme.components,
    // On a phone, wide tables and rows of tabs scroll sideways by themselves. `contain: inline-size`
    // keeps their width out of the page's, which would otherwise stretch to it (pushing toolbars off
    // the screen) and scroll as a whole.
    MuiTabs: {
      defaultProps: { variant: 'scrollable', scrollButtons: 'auto', allowScrollButtonsMobile: true },
      styleOverrides: { root: { contain: 'inline-size' } },
    },
    RaDatagrid: {
      styleOverrides: {
        root: { '& .RaDatagrid-tableWrapper': { overflowX: 'auto', contain: 'inline-size' } },
      },
    },
  },
}
