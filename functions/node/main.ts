import { main } from './server.js';

// The production entry of the launch function (`npm run start:function`).
void main();
