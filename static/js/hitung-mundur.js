// Keeps the home page's countdown to voting day right on the reader's day, when the
// page was built earlier. Optional: without JavaScript the built text stays, and is
// right on the day of the build. Days are counted in the guide's time zone; the words
// come from the page (data-*), in its language.
(function () {
  var el = document.getElementById("hitung-mundur");
  if (!el || !window.Intl) return;
  var today = new Intl.DateTimeFormat("en-CA", {timeZone: el.dataset.zona, year: "numeric",
    month: "2-digit", day: "2-digit"}).format(new Date());
  var days = Math.round((Date.parse(el.dataset.hari) - Date.parse(today)) / 864e5);
  el.textContent = "";
  if (days > 1) {
    var around = el.dataset.menuju.split("{lagi}");
    var strong = document.createElement("strong");
    strong.textContent = el.dataset.lagi.replace("{n}", days.toLocaleString(document.documentElement.lang));
    el.appendChild(document.createTextNode(around[0]));
    el.appendChild(strong);
    el.appendChild(document.createTextNode(around.slice(1).join("{lagi}")));
  } else {
    el.textContent = days === 1 ? el.dataset.besok : days === 0 ? el.dataset.hariIni : el.dataset.lewat;
  }
})();
