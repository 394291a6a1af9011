// After a passkey is registered (django-otp-webauthn's event), go on to the page the user
// asked for; the button carries it in data-next. Served from static/: no inline script (CSP).
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var button = document.getElementById("passkey-register-button");
  var next = button && button.getAttribute("data-next");
  if (next && next.charAt(0) === "/" && next.charAt(1) !== "/") {
    window.location.assign(next);
  }
});
