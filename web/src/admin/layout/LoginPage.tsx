// Sign in to the console: username or email and password, then the 6-digit code when the account has
// 2FA on (the API answers otp_required first). Errors in the web app's words, announced to readers.
import { Alert, Box, Button, Card, CardContent, TextField, Typography } from '@mui/material'
import { type FormEvent, useState } from 'react'
import { HttpError, useLogin } from 'react-admin'

function codeOf(error: unknown): string | null {
  return error instanceof HttpError ? ((error.body as { code?: string } | null)?.code ?? null) : null
}

export function LoginPage() {
  const login = useLogin()
  const [fields, setFields] = useState({ login: '', password: '', otp: '' })
  const [needsCode, setNeedsCode] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await login({ ...fields, otp: needsCode ? fields.otp : undefined })
    } catch (caught) {
      if (codeOf(caught) === 'otp_required' && !needsCode) setNeedsCode(true)
      else setError(caught instanceof Error ? caught.message : 'Signing in failed. Please try again.')
    } finally {
      setBusy(false)
    }
  }
  const field = (name: keyof typeof fields) => ({
    name,
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields({ ...fields, [name]: event.target.value }),
  })

  return (
    <Box
      component="main"
      sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', bgcolor: 'background.default', p: 2 }}
    >
      <Card sx={{ width: '100%', maxWidth: 400 }}>
        <CardContent>
          <Typography component="h1" variant="h5" gutterBottom>
            Tessera admin
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            For platform admins and business staff. Customers book at <a href="/">the Tessera site</a>.
          </Typography>
          <Box component="form" onSubmit={submit} noValidate sx={{ display: 'grid', gap: 2 }}>
            {error && (
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            )}
            <TextField
              label="Username or email"
              autoComplete="username"
              required
              autoFocus
              disabled={needsCode}
              {...field('login')}
            />
            <TextField
              label="Password"
              type="password"
              autoComplete="current-password"
              required
              disabled={needsCode}
              {...field('password')}
            />
            {needsCode && (
              <>
                <Alert severity="info">
                  Enter the 6-digit code from your authenticator app, or a recovery code.
                </Alert>
                <TextField
                  label="Code"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  autoFocus
                  {...field('otp')}
                />
              </>
            )}
            <Button type="submit" variant="contained" size="large" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </Button>
          </Box>
        </CardContent>
      </Card>
    </Box>
  )
}
