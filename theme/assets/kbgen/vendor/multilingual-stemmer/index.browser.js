export { Languages, createStemmer, stem } from './stemmer.browser.js';
export * from './languages.browser.js';
