/** 时间显示：一律按北京时间（平台在中国，手机时区设错也不影响）。 */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000

function pad(n) {
  return n < 10 ? `0${n}` : String(n)
}

/** "2024-05-01T06:30:00Z" → "2024-05-01 14:30"；看不懂的输入返回 ''。 */
function formatTime(iso) {
  const ms = Date.parse(iso)
  if (!iso || Number.isNaN(ms)) return ''
  const d = new Date(ms + BEIJING_OFFSET_MS)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  )
}

module.exports = { formatTime }
