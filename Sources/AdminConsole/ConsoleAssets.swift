/// The console's stylesheet and script, served from the daemon itself
/// (`/static/…`): nothing is fetched from elsewhere, so the console works
/// on a shop's LAN without the internet.
enum ConsoleAssets {
    static let stylesheet = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;background:#f6f7f9}
        a{color:#1a5fb4}
        header.top{background:#24313f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
        header.top .brand{font-weight:700;font-size:1.15rem}
        header.top .shop{opacity:.8}
        header.top nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem}
        header.top nav a{color:#fff;text-decoration:none;padding:.2rem 0;border-bottom:2px solid transparent}
        header.top nav a[aria-current=page]{border-bottom-color:#8fd18f}
        header.top .account{margin-left:auto;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
        header.top label{font-size:.85rem}
        header.top select,header.top button{font-size:.85rem;padding:.15rem .4rem}
        main{max-width:72rem;margin:0 auto;padding:1rem}
        h1{font-size:1.6rem;margin:.5rem 0}
        h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        .lead{color:#57606a;margin-top:0}
        .notice{background:#e6f4ea;border:1px solid #8fd18f;padding:.6rem .8rem;border-radius:6px}
        .error{background:#fdecea;border:1px solid #f5a19a;padding:.6rem .8rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
        form.inline{display:inline-flex;gap:.3rem;align-items:center;margin:0}
        section.card,li.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.8rem 1rem;margin:.6rem 0}
        ul.cards,ul.switches{list-style:none;padding:0;margin:0}
        ul.switches li{padding:.5rem 0;border-top:1px solid #eaeef2}
        .switch{display:flex;gap:.6rem;align-items:flex-start}
        .switch input[type=checkbox]{width:1.25rem;height:1.25rem;margin-top:.15rem;flex:none}
        .switch label{font-weight:600}
        .switch.master{font-size:1.05rem;padding:.4rem 0}
        .switch.sub{margin:.4rem 0 0 1.9rem}
        p.when{margin:.15rem 0 0 1.9rem;color:#57606a;font-size:.92rem}
        .field{display:flex;flex-direction:column;gap:.2rem;margin:.6rem 0;min-width:0;max-width:100%}
        .field select{max-width:100%;min-width:0}
        .field label{font-weight:600}
        .row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
        input[type=text],input[type=email],input[type=password],input[type=search],select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #afb8c1;border-radius:6px;max-width:100%;background:#fff}
        textarea{width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
        input.wide{width:100%}
        button{font:inherit;padding:.4rem .9rem;border:1px solid #afb8c1;border-radius:6px;background:#fff;cursor:pointer}
        button.primary{background:#2f6b45;border-color:#2f6b45;color:#fff}
        button.danger{border-color:#c62828;color:#c62828}
        .actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.8rem 0}
        dl.figures{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.5rem 0 0}
        dl.figures div{display:flex;flex-direction:column}
        dl.figures dt{font-size:.8rem;color:#57606a}
        dl.figures dd{margin:0;font-weight:600;font-size:1.1rem}
        .table-wrap{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top;overflow-wrap:anywhere}
        th{font-size:.85rem;color:#57606a}
        .mono,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:.6rem;max-height:40rem;overflow-y:auto}
        .tag{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:4px;background:#eaeef2}
        .tag.edited{background:#fff3c4}
        .state-hold{color:#8250df}.state-deferred{color:#bc4c00}.state-delivered{color:#2f6b45}.state-bounced,.state-expired{color:#c62828}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem}
        .editor{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));gap:1rem}
        .preview iframe{width:100%;height:36rem;border:1px solid #d8dee4;border-radius:6px;background:#fff;display:block;margin:0 auto;max-width:100%}
        .preview .subject{font-weight:600;overflow-wrap:anywhere}
        svg.plot{width:100%;height:auto;background:#fff;border:1px solid #d8dee4;border-radius:6px}
        .legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;list-style:none;padding:0;margin:.3rem 0}
        .legend span{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
        progress{width:100%;max-width:30rem}
        output{display:block;white-space:pre-line;overflow-wrap:anywhere;margin:.4rem 0}
        .login{max-width:24rem;margin:3rem auto}
        .hidden-label{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
        @media (max-width:40rem){main{padding:.6rem}h1{font-size:1.35rem}header.top .account{margin-left:0}}
        """

    static let script = """
        "use strict";
        document.addEventListener("click", function (event) {
          var button = event.target.closest("[data-confirm]");
          if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
        });
        // A menu whose choice shows another page (the coupon form of another email).
        document.querySelectorAll("select[data-reload]").forEach(function (menu) {
          menu.addEventListener("change", function () {
            window.location = menu.getAttribute("data-reload") + encodeURIComponent(menu.value) + "#rule-form";
          });
        });
        document.querySelectorAll("[data-preview-width]").forEach(function (button) {
          button.addEventListener("click", function () {
            document.getElementById("preview").style.width = button.getAttribute("data-preview-width");
          });
        });
        (function () {
          var form = document.getElementById("template-form");
          if (!form) { return; }
          var timer = null;
          var frame = document.getElementById("preview");
          var subject = document.getElementById("preview-subject");
          var problem = document.getElementById("preview-error");
          function refresh() {
            var body = new URLSearchParams(new FormData(form));
            fetch(form.getAttribute("data-preview"), { method: "POST", body: body, credentials: "same-origin" })
              .then(function (response) { return response.json(); })
              .then(function (answer) {
                if (answer.error) { problem.textContent = answer.error; problem.hidden = false; return; }
                problem.hidden = true;
                subject.textContent = answer.subject;
                frame.srcdoc = answer.html;
              })
              .catch(function () {});
          }
          form.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(refresh, 400);
          });
        })();
        document.querySelectorAll("form[data-csv-import]").forEach(function (form) {
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            var file = form.querySelector("input[type=file]").files[0];
            var bar = form.querySelector("progress");
            var report = form.querySelector("output");
            if (!file) { return; }
            file.text().then(function (text) {
              var lines = text.split(/\\r?\\n/);
              var hasHeader = form.hasAttribute("data-header");
              var header = hasHeader ? lines.shift() : null;
              var firstLine = hasHeader ? 2 : 1;
              while (lines.length && lines[lines.length - 1].trim() === "") { lines.pop(); }
              // Records, not lines: a quoted CSV field may hold a line break, and a
              // chunk must not end inside it. Each record keeps its line in the file.
              var records = [], open = false;
              lines.forEach(function (line, index) {
                if (hasHeader && open) { records[records.length - 1].text += "\\n" + line; }
                else { records.push({ text: line, line: firstLine + index }); }
                if (hasHeader && (line.split("\\"").length - 1) % 2 === 1) { open = !open; }
              });
              var done = 0, imported = 0, bad = [];
              bar.max = records.length || 1; bar.value = 0; bar.hidden = false;
              report.textContent = "";
              function fail(message) { report.textContent = message; }
              function next() {
                if (done >= records.length) {
                  report.textContent = form.getAttribute("data-imported") + ": " + imported +
                    (bad.length ? "\\n" + form.getAttribute("data-bad-rows") + ":\\n" + bad.join("\\n") : "");
                  return;
                }
                // About 200 kB of text a request, and at most 500 records.
                var part = [], size = 0;
                while (done + part.length < records.length && part.length < 500 && size < 200000) {
                  var record = records[done + part.length];
                  part.push(record); size += record.text.length;
                }
                var body = new URLSearchParams(new FormData(form));
                body.delete("file");
                body.set("csv", (hasHeader ? [header] : []).concat(part.map(function (r) { return r.text; })).join("\\n"));
                body.set("first_line", String(part[0].line));
                fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
                  .then(function (response) {
                    return response.json().catch(function () { return { error: response.status + " " + response.statusText }; });
                  })
                  .then(function (answer) {
                    if (answer.error) { fail(answer.error); return; }
                    imported += answer.imported; bad = bad.concat(answer.bad || []);
                    done += part.length; bar.value = done; next();
                  })
                  .catch(function (error) { fail(String(error)); });
              }
              next();
            });
          });
        });
        """
}
