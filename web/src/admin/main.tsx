import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AdminApp } from './AdminApp'

const root = document.getElementById('admin')
if (!root) throw new Error('admin/index.html has no #admin')
createRoot(root).render(
  <StrictMode>
    <AdminApp />
  </StrictMode>,
)
