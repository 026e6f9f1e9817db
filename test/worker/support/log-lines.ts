/**
 * Child process for the logger test: logs `count` lines through `createLogger`, then either
 * calls `process.exit(0)` at once (`exit`) or lets the event loop end (`return`).
 */
import { createLogger } from '../../../shared/logger.js';

const [countText = '0', ending = 'exit'] = process.argv.slice(2);
const logger = createLogger('log-lines');

for (let index = 0; index < Number(countText); index += 1) {
  logger.info({ index }, 'received task status');
}

if (ending === 'exit') {
  process.exit(0);
}
