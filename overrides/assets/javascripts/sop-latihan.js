/* Self-checks (latihan) on SOP pages.
 *
 * Runs in the reader's browser only: nothing is sent anywhere. Answers are kept in
 * localStorage (per SOP and per set of questions), so a reader can come back to them;
 * "start again" forgets them. Every word shown comes from the page (data-teks-*
 * attributes written from the label table), never from this file.
 *
 * Loaded by overrides/main.html on pages with a self-check (on every page when
 * Material's instant navigation is on); with Material, it runs on every page swap
 * through document$.
 */
(function () {
  "use strict";

  var PREFIX = "sop-latihan:";

  function read(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (error) {
      return {};  /* storage blocked (private mode, file://): answers simply are not kept */
    }
  }

  function write(key, answers) {
    try {
      if (Object.keys(answers).length) {
        window.localStorage.setItem(key, JSON.stringify(answers));
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (error) { /* see read() */ }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function setUp(quiz) {
    if (quiz.hasAttribute("data-siap")) {
      return;
    }
    quiz.setAttribute("data-siap", "");
    var key = PREFIX + quiz.getAttribute("data-sop-nomor") + ":" + quiz.getAttribute("data-kunci");
    var questions = Array.prototype.slice.call(quiz.querySelectorAll("[data-soal]"));
    var score = quiz.querySelector("[data-skor]");
    var announcer = quiz.querySelector("[data-pengumuman]");
    var reset = quiz.querySelector("[data-ulangi]");
    var answers = read(key);

    function verdict(right) {
      return quiz.getAttribute(right ? "data-teks-benar" : "data-teks-salah");
    }

    function tally() {
      var right = questions.filter(function (question) {
        return question.getAttribute("data-hasil") === "benar";
      }).length;
      var answered = questions.filter(function (question) {
        return question.hasAttribute("data-hasil");
      }).length;
      score.textContent = fill(quiz.getAttribute("data-teks-skor"), {right: right, total: questions.length});
      score.hidden = answered === 0;
      return score.textContent;
    }

    function choose(question, option, quietly) {
      var right = option.hasAttribute("data-benar");
      question.querySelectorAll("[data-pilihan]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === option ? "true" : "false");
        other.classList.toggle("sop-latihan-opsi--dipilih", other === option);
        other.classList.toggle("sop-latihan-opsi--kunci", !right && other.hasAttribute("data-benar"));
      });
      var feedback = question.querySelector("[data-umpan-balik]");
      feedback.querySelector("[data-vonis]").textContent = verdict(right);
      feedback.setAttribute("data-hasil", right ? "benar" : "salah");
      feedback.hidden = false;
      question.setAttribute("data-hasil", right ? "benar" : "salah");
      answers[question.getAttribute("data-soal")] = option.getAttribute("data-pilihan");
      var status = tally();
      if (!quietly) {
        write(key, answers);
        announcer.textContent = verdict(right) + " " + status;
      }
    }

    function clear() {
      questions.forEach(function (question) {
        question.removeAttribute("data-hasil");
        question.querySelectorAll("[data-pilihan]").forEach(function (option) {
          option.setAttribute("aria-pressed", "false");
          option.classList.remove("sop-latihan-opsi--dipilih", "sop-latihan-opsi--kunci");
        });
        var feedback = question.querySelector("[data-umpan-balik]");
        feedback.hidden = true;
        feedback.removeAttribute("data-hasil");
      });
      answers = {};
      write(key, answers);
      tally();
      announcer.textContent = quiz.getAttribute("data-teks-ulang");
      var first = quiz.querySelector("[data-pilihan]");
      if (first) {
        first.focus();
      }
    }

    questions.forEach(function (question) {
      question.querySelectorAll("[data-pilihan]").forEach(function (option) {
        option.disabled = false;
        option.addEventListener("click", function () {
          choose(question, option, false);
        });
      });
      var kept = answers[question.getAttribute("data-soal")];
      var option = kept && question.querySelector('[data-pilihan="' + String(kept).replace(/[^0-9]/g, "") + '"]');
      if (option) {
        choose(question, option, true);
      }
    });
    reset.disabled = false;
    reset.addEventListener("click", clear);
  }

  function setUpAll() {
    document.querySelectorAll(".sop-latihan").forEach(setUp);
  }

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);  /* Material: the first page and every instant-navigation swap */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
