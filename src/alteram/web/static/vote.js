// Keyboard shortcuts on the voting page: A agree, D disagree, P pass.
(function () {
  var form = document.getElementById("vote-form");
  if (!form) return;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "TEXTAREA" || (tag === "INPUT" && event.target.type === "text")) return;
    var choice = { a: "agree", d: "disagree", p: "pass" }[event.key.toLowerCase()];
    if (!choice) return;
    var button = form.querySelector('button[value="' + choice + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
})();
