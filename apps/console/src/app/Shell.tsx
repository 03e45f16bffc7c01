import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import type { ReactNode } from 'react'
import { consoleTitle } from '../api/config'
import { navigate } from '../router/hash-location'
import { useSession } from '../session/session-context'
import { useAdminApi, useRuntimeConfig, useServices } from './services-context'

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/routes', label: 'Routes' },
  { path: '/clients', label: 'Clients' },
  { path: '/permissions', label: 'Permissions' },
  { path: '/rate-limits', label: 'Rate limits' },
  { path: '/admins', label: 'Admins' },
  { path: '/tokens', label: 'API tokens' },
  { path: '/audit', label: 'Audit log' },
  { path: '/changesets', label: 'Change sets' },
]

function isActive(current: string, path: string): boolean {
  return path === '/' ? current === '/' : current === path || current.startsWith(`${path}/`)
}

export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const config = useRuntimeConfig()
  const session = useSession()
  const services = useServices()
  const admin = useAdminApi()
  const [opened, { toggle, close }] = useDisclosure()
  const email = session.state.status === 'signed-out' ? '' : session.state.email

  const signOut = () => {
    const token = services.http.token()
    // Best effort: the tab forgets the token whatever the server answers (an unreachable server cannot keep
    // this tab signed in); the server revoking it is what stops a copied token.
    if (token !== null) void admin.signOut(token).catch(() => undefined)
    navigate('/sign-in', { replace: true })
    session.signOut()
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={4} data-testid="console-title" lineClamp={1}>
              {consoleTitle(config)}
            </Title>
            {config.siteDomain !== null && (
              <Text size="sm" c="dimmed" visibleFrom="md">
                {config.siteDomain}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {email}
            </Text>
            <Button size="xs" variant="default" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.map((item) => (
          <NavLink
            key={item.path}
            href={`#${item.path}`}
            label={item.label}
            active={isActive(path, item.path)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  )
}
