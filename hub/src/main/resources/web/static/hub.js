// tollguard hub: the review pages' only script (served by the hub). Pages work without it; it only adds
// "select all" for bulk actions.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[data-select-all]').forEach(function (all) {
    all.addEventListener('change', function () {
      document.querySelectorAll('input[name="' + all.dataset.selectAll + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
});
