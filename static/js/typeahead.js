// Type-ahead boxes (config/typeahead.py): a text box that holds a record's id becomes a
// combobox suggesting records from the API's search, ten at a time. Without JavaScript the
// box still takes an id or the record's name, and the server resolves it.
(function () {
  "use strict";
  var counter = 0;

  function labelOf(item, specs) {
    return specs
      .map(function (spec) {
        var names = spec.split("|");
        for (var i = 0; i < names.length; i += 1) {
          if (item[names[i]]) {
            return String(item[names[i]]);
          }
        }
        return "";
      })
      .filter(Boolean)
      .join(" — ");
  }

  function enhance(box) {
    if (box.getAttribute("data-typeahead-ready")) {
      return;
    }
    box.setAttribute("data-typeahead-ready", "1");
    var value = box.querySelector("input");
    var hint = box.querySelector(".app-typeahead__current");
    var url = box.getAttribute("data-typeahead");
    var specs = box.getAttribute("data-typeahead-fields").split(",");
    var noun = box.getAttribute("data-typeahead-noun") || "record";
    var hadFocus = document.activeElement === value;
    counter += 1;
    var id = value.id || "typeahead-" + counter;
    var listId = id + "_listbox";

    var visible = document.createElement("input");
    visible.type = "text";
    visible.className = value.className;
    visible.id = id;
    visible.autocomplete = "off";
    visible.spellcheck = false;
    visible.setAttribute("role", "combobox");
    visible.setAttribute("aria-autocomplete", "list");
    visible.setAttribute("aria-expanded", "false");
    visible.setAttribute("aria-controls", listId);
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (value.hasAttribute(name)) {
        visible.setAttribute(name, value.getAttribute(name));
      }
    });
    if (hint && hint.id) {
      var described = visible.getAttribute("aria-describedby");
      visible.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    }
    visible.value = box.getAttribute("data-typeahead-current") || value.value;
    value.type = "hidden";
    value.id = id + "_value";
    box.insertBefore(visible, value);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "app-typeahead__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested " + noun + "s");
    list.hidden = true;
    box.insertBefore(list, hint);
    var status = document.createElement("div");
    status.className = "usa-sr-only";
    status.setAttribute("role", "status");
    box.appendChild(status);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      visible.setAttribute("aria-expanded", "false");
      visible.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        visible.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var item = items[index];
      value.value = String(item.id);
      visible.value = labelOf(item, specs);
      if (hint) {
        hint.textContent = "Selected: " + visible.value + ".";
      }
      close();
    }

    function show(results) {
      items = results;
      list.innerHTML = "";
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "app-typeahead__option";
        option.textContent = labelOf(item, specs);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      visible.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length
        ? results.length + " suggestions; use the arrow keys to choose."
        : "No " + noun + " matches.";
      active = -1;
    }

    visible.addEventListener("input", function () {
      var query = visible.value.trim();
      value.value = query; // a typed id or name still reaches the server as it is
      window.clearTimeout(timer);
      if (query.length < 2 && !/^\d+$/.test(query)) {
        close();
        return;
      }
      timer = window.setTimeout(function () {
        asked += 1;
        var mine = asked;
        fetch(url + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (mine === asked) {
              show(data.results || []);
            }
          })
          .catch(close);
      }, 200);
    });

    visible.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    visible.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
    if (hadFocus) {
      visible.focus();
    }
  }

  document.querySelectorAll(".app-typeahead").forEach(enhance);
  // Rows added to a formset later ("Add another") carry boxes of their own.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.querySelectorAll) {
          node.querySelectorAll(".app-typeahead").forEach(enhance);
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
