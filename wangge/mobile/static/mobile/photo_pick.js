// A photo input on a resident page (圈子's post, …) as a control people know: a 添加照片 button
// (the input's own label, so a screen reader and a keyboard reach the input itself), then the
// pictures chosen, each removable, and how many there are. Choosing again adds to what was
// chosen rather than replacing it, as a phone's gallery picker leads people to expect; the form
// still posts the input's files (rebuilt through a DataTransfer), so nothing else changes.
// Markup: <input type=file data-photo-pick="<previews list id>" data-photo-text="<json id>"
// aria-describedby="<count id>">, the texts in a json_script.
(function () {
  "use strict";
  function fmt(template, n) { return String(template || "").replace("%(n)s", n); }

  document.querySelectorAll("input[type=file][data-photo-pick]").forEach((input) => {
    const list = document.getElementById(input.dataset.photoPick);
    const count = document.getElementById(input.getAttribute("aria-describedby"));
    const T = JSON.parse(document.getElementById(input.dataset.photoText).textContent);
    const max = Number(T.max) || 9;
    let chosen = []; // {file, url}

    function sync() {
      const dt = new DataTransfer();
      chosen.forEach((c) => dt.items.add(c.file));
      input.files = dt.files;
    }
    function draw(note) {
      list.replaceChildren(...chosen.map((c, i) => {
        const li = document.createElement("li");
        const img = document.createElement("img");
        img.src = c.url;
        img.alt = fmt(T.photo, i + 1);
        const del = document.createElement("button");
        del.type = "button";
        del.className = "btn m-remove";
        del.textContent = "×";
        del.setAttribute("aria-label", fmt(T.remove, i + 1));
        del.addEventListener("click", () => {
          URL.revokeObjectURL(c.url);
          chosen.splice(i, 1);
          sync();
          draw();
          input.focus(); // the button just pressed is gone: back to 添加照片
        });
        li.append(img, del);
        return li;
      }));
      list.hidden = chosen.length === 0;
      count.textContent = (chosen.length ? fmt(T.count, chosen.length) : T.none) + (note ? ` ${note}` : "");
    }
    input.addEventListener("change", () => {
      // The browser has replaced input.files with this pick: add it to the earlier ones.
      let note = "";
      for (const file of Array.from(input.files || [])) {
        if (chosen.length >= max) { note = T.tooMany; break; }
        chosen.push({ file, url: URL.createObjectURL(file) });
      }
      sync();
      draw(note);
    });
    // A page shown again from the back/forward cache keeps the input's files: show them.
    if (input.files && input.files.length) input.dispatchEvent(new Event("change"));
    else draw();
  });
})();
