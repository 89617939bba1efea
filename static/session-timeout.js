// Warns two minutes before an idle session ends, and lets the user stay signed in with one
// click (WCAG 2.2.1). Without JavaScript the "Stay signed in" form in the page does the same.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const secondsLeft = Number(dialog.dataset.secondsLeft);
  const warnBefore = Number(dialog.dataset.warnBefore);
  const form = dialog.querySelector("form");
  let warnTimer;
  let endTimer;

  const schedule = (seconds, warn = true) => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    if (warn) {
      warnTimer = setTimeout(() => dialog.showModal(), Math.max(0, seconds - warnBefore) * 1000);
    }
    endTimer = setTimeout(() => {
      window.location.href = dialog.dataset.signedOutUrl;
    }, seconds * 1000);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const body = await response.json();
      dialog.close();
      // Near the 12-hour limit more time cannot be given: no second warning, just the end.
      schedule(body.seconds_left, body.seconds_left > warnBefore);
    } else {
      window.location.href = dialog.dataset.signedOutUrl;
    }
  });

  schedule(secondsLeft);
}
