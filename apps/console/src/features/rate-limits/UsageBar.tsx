import { Progress, Stack, Text } from '@mantine/core'

type Props = { label: string; used: number; limit: number | null }

function color(ratio: number): string {
  if (ratio >= 1) return 'red'
  if (ratio >= 0.8) return 'orange'
  return 'teal'
}

/** `used` of `limit` in a window; without a limit only the count is shown. */
export function UsageBar({ label, used, limit }: Props) {
  if (limit === null) {
    return (
      <Text size="xs" c="dimmed">
        {label}: {used.toLocaleString()} used, no limit
      </Text>
    )
  }
  const ratio = limit === 0 ? 1 : used / limit
  return (
    <Stack gap={2}>
      <Text size="xs">
        {label}: {used.toLocaleString()} / {limit.toLocaleString()}
        {ratio >= 1 && ' (limited)'}
      </Text>
      <Progress value={Math.min(ratio * 100, 100)} color={color(ratio)} size="sm" aria-label={`${label} usage`} />
    </Stack>
  )
}
