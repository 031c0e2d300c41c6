import init, { Stemmer, Languages } from './browser/index.js';
await init();
export { Stemmer, Languages };
