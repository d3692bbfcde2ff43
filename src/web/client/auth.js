// @ts-check
/**
 * The credential for a gateway with authentication on: asked for when the API answers UNAUTHENTICATED, kept
 * for this tab only (sessionStorage), and sent as `Authorization: Bearer`. Never in the URL, so a shared link
 * or a browser history never carries it.
 */
const KEY = 'callq.credential';

export function credential() {
  return sessionStorage.getItem(KEY);
}

/** @returns {Record<string, string>} */
export function authorizationHeader() {
  const value = credential();
  return value === null ? {} : { authorization: `Bearer ${value}` };
}

export function forgetCredential() {
  sessionStorage.removeItem(KEY);
}

/**
 * Shows the credential form with the API's reason and resolves once a credential is entered.
 * @param {string} reason
 * @returns {Promise<void>}
 */
export function askForCredential(reason) {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('credential'));
  const input = /** @type {HTMLInputElement} */ (form.elements.namedItem('credential'));
  /** @type {HTMLElement} */ (document.getElementById('credential-reason')).textContent =
    `This gateway needs an API key or token (${reason}).`;
  form.hidden = false;
  input.value = '';
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        sessionStorage.setItem(KEY, input.value.trim());
        form.hidden = true;
        resolve();
      },
      { once: true },
    );
  });
}
