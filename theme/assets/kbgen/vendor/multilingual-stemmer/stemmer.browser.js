import { Stemmer, Languages } from './wasm.browser.js';
import { buildIsoMap, buildResolver } from './iso-map.js';
const resolveLanguage = buildResolver(buildIsoMap(Languages));
const cache = new Map();
export { Languages };
export const getInstance = (language) => {
    const key = resolveLanguage(language);
    if (!cache.has(key))
        cache.set(key, new Stemmer(key));
    return cache.get(key);
};
export const createStemmer = (language) => {
    const instance = new Stemmer(resolveLanguage(language));
    return (word) => instance.stem(word);
};
export const stem = (language, word) => getInstance(language).stem(word);
