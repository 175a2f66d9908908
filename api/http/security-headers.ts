import { secureHeaders } from 'hono/secure-headers';

/**
 * What the built web app (Vite, SolidJS) and the API reference page load: their own scripts,
 * styles and fonts, photos from the API, `blob:` previews of a photo being picked and `data:`
 * QR codes. Nothing inline, nothing from another origin, never framed.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Hono's secure headers plus the policy above. A handler that sets its own header keeps it (a
 * stored photo is served with `sandbox`), hence `overwrite: false`.
 */
export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy,
    crossOriginResourcePolicy: 'same-origin',
    xFrameOptions: 'DENY',
    overwrite: false,
  });
}
