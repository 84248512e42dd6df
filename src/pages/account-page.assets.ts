/** Drops the link's token from the address bar before it sends it to the JSON API. */
export const ACCOUNT_PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var main = document.querySelector('main');
  var form = document.getElementById('link-form');
  var outcome = document.getElementById('outcome');
  var page = main.getAttribute('data-page');
  var token = new URLSearchParams(window.location.search).get('token');
  if (token) window.history.replaceState(null, '', window.location.pathname);

  var routes = {
    'reset-password': '/api/auth/password/reset',
    'verify-email': '/api/auth/verify-email',
    'confirm-email': '/api/auth/email/confirm'
  };

  function show(kind, heading, text) {
    outcome.className = kind;
    outcome.setAttribute('role', kind === 'failure' ? 'alert' : 'status');
    outcome.textContent = '';
    var title = document.createElement('h2');
    title.textContent = heading;
    outcome.appendChild(title);
    if (text) {
      var detail = document.createElement('p');
      detail.textContent = text;
      outcome.appendChild(detail);
    }
    outcome.focus();
  }

  function succeeded(body) {
    form.hidden = true;
    if (page === 'reset-password') return show('success', 'Your password is set', 'Every device was signed out: sign in again with the new password.');
    if (page === 'verify-email') return show('success', 'Your address is confirmed', body.email + ' is verified.');
    show('success', 'Your new address is confirmed', 'Your account now uses ' + body.email + '.');
  }

  function failed(status, body) {
    var message = body && body.message;
    var text = Array.isArray(message) ? message.join('. ') : message;
    if (status === 400 && /link is unknown/.test(text || '')) {
      form.hidden = true;
      return show('failure', 'This link does not work any more', 'It is unknown, already used or expired (a newer mail also voids an older link). Ask for a new one.');
    }
    if (status === 429) return show('failure', 'Too many tries', 'Wait a little and try again.');
    if (status === 409) {
      form.hidden = true;
      return show('failure', 'That address is taken', text);
    }
    show('failure', 'That did not work', text || 'The server could not answer; try again in a moment.');
  }

  if (!token) {
    form.hidden = true;
    show('failure', 'This link is incomplete', 'Open the link from the mail again, whole, or copy all of it into the address bar.');
    return;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = { token: token };
    if (page === 'reset-password') {
      var password = document.getElementById('password').value;
      if (password.length < 8 || password.length > 128) return show('failure', 'Choose another password', 'It must be 8 to 128 characters.');
      if (password !== document.getElementById('password-again').value) return show('failure', 'The two passwords differ', 'Type the same new password in both fields.');
      body.password = password;
    }
    var button = form.querySelector('button');
    button.disabled = true;
    fetch(routes[page], { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (response) {
        return response.text().then(function (raw) {
          var parsed = raw ? JSON.parse(raw) : {};
          if (response.ok) succeeded(parsed);
          else failed(response.status, parsed);
        });
      })
      .catch(function () {
        failed(0, null);
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
`;

export const ACCOUNT_PAGE_STYLE = String.raw`
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #f3f4f6; }
main { max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 10px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
.product { margin: 0; color: #4b5563; font-size: 0.9rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
h1 { margin: 0.25rem 0 0.75rem; font-size: 1.5rem; }
h2 { margin: 0 0 0.25rem; font-size: 1.1rem; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input { width: 100%; margin-top: 0.25rem; padding: 0.6rem; font: inherit; border: 1px solid #9ca3af; border-radius: 6px; }
input:focus, button:focus, #outcome:focus { outline: 3px solid #93c5fd; outline-offset: 2px; }
#password-rules { margin: 0; color: #4b5563; font-size: 0.95rem; }
button { margin-top: 1.5rem; padding: 0.7rem 1.2rem; font: inherit; font-weight: 600; color: #fff; background: #1d4ed8; border: 0; border-radius: 6px; cursor: pointer; }
button:disabled { background: #6b7280; cursor: wait; }
#outcome:empty { display: none; }
#outcome { margin-top: 1.5rem; padding: 1rem; border-radius: 6px; }
#outcome p { margin: 0; }
.success { background: #ecfdf5; border: 1px solid #059669; }
.failure { background: #fef2f2; border: 1px solid #dc2626; }
`;
