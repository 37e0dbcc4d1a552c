/**
 * JavaScript that both JavaScript scenarios carry (the k6 script and Artillery's processor): drawing
 * the next state, a think time and a parameter value from the model, and reading a URL's host. One
 * copy here, so that the two tools replay a model the same way. The script around it defines EXIT,
 * THINK_SCALE and MISSING_PARAM.
 */
export const JS_HELPERS = `/**
 * Draws a key with the given probabilities.
 * @param {Record<string, number>} weights
 * @returns {string}
 */
function pick(weights) {
  let u = Math.random();
  let last = EXIT;
  for (const [key, p] of Object.entries(weights)) {
    last = key;
    u -= p;
    if (u < 0) return key;
  }
  return last;
}

/**
 * Think seconds drawn from 21 evenly spaced quantiles (inverse CDF, linear between them).
 * @param {number[]} quantiles
 */
function sampleThink(quantiles) {
  const x = Math.random() * (quantiles.length - 1);
  const i = Math.floor(x);
  const lo = quantiles[i] || 0;
  const hi = quantiles[Math.min(i + 1, quantiles.length - 1)] || lo;
  return (lo + (hi - lo) * (x - i)) * THINK_SCALE;
}

/**
 * Fills \`{name}\` placeholders from the persona's observed values, URL-encoded.
 * @param {string} template
 * @param {Record<string, string[]>} params
 */
function fill(template, params) {
  return template.replace(/\\{([^{}]+)\\}/g, (_, /** @type {string} */ name) => {
    const pool = params[name] || [];
    const value = pool.length > 0 ? pool[Math.floor(Math.random() * pool.length)] : MISSING_PARAM;
    return encodeURIComponent(value || MISSING_PARAM);
  });
}

/** @param {string} url */
function hostOf(url) {
  const m = /^[a-z][a-z0-9+.-]*:\\/\\/(?:[^@/?#]*@)?(\\[[^\\]]*\\]|[^:/?#]*)/i.exec(url);
  return m && m[1] ? m[1].toLowerCase() : '';
}
`;
