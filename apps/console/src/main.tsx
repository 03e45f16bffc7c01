import '@mantine/core/styles.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ConsoleApp } from './app/ConsoleApp'
import { adoptPathLink } from './router/hash-location'

adoptPathLink()
const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <ConsoleApp />
  </StrictMode>,
)
