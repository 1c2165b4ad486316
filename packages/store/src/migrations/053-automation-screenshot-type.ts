/**
 * A step's screenshot keeps its media type (`image/jpeg` or `image/png`): the executor takes JPEGs
 * since stop 29 (cheaper to encode, seal and store than PNGs). Rows written before carry none and are PNGs.
 */
export const sql = `
alter table automation_steps add column screenshot_type text
  check (screenshot_type in ('image/png', 'image/jpeg'));
`;
