#!/usr/bin/env python3
"""Drives Poshta's web console in headless Chromium (Selenium), against a
daemon the Swift test started. Every step checks what a user would see:
the page, the mail in the outbox, the queue through the admin API.

Usage: console_browser.py SETTINGS.json, where the JSON names the daemon
(url, smtp_port, outbox, token, users), the part to run (owner, queue or
throttle) and where the screenshots go. Prints one line per step; exits 1
with the reason at the first thing that is not as it should be.
"""

import email
import email.policy
import glob
import http.cookiejar
import json
import os
import smtplib
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import html5lib
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

SETTINGS = json.load(open(sys.argv[1]))
BASE = SETTINGS["url"].rstrip("/")
SHOTS = SETTINGS["screenshots"]
PHONE_WIDTH = 390


def step(text):
    print("ok:", text, flush=True)


def fail(text):
    raise AssertionError(text)


def check(condition, text):
    if not condition:
        fail(text)


# --- The browser -------------------------------------------------------------


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = SETTINGS.get("chromium", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--lang=en-US", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(SETTINGS.get("chromedriver", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    return driver


def wait(driver, condition, seconds=10):
    return WebDriverWait(driver, seconds).until(condition)


def open_page(driver, path):
    driver.get(BASE + path)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def gone(element):
    """Whether the element's page was replaced. Chromium answers a stale node
    with StaleElementReference or, in some versions, an inspector error."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def click(driver, element_id, confirm=False):
    """Clicks a submit button and waits for the page it leads to."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, element_id).click()
    if confirm:
        wait(driver, EC.alert_is_present()).accept()
    wait(driver, lambda d: gone(old))
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def notice(driver):
    found = driver.find_elements(By.CSS_SELECTOR, "p.notice")
    return found[0].text if found else ""


def alert_text(driver):
    found = driver.find_elements(By.CSS_SELECTOR, "main > p.error[role=alert]")
    return found[0].text if found else ""


def set_checkbox(driver, element_id, on):
    box = driver.find_element(By.ID, element_id)
    if box.is_selected() != on:
        box.click()


def set_text(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


# --- What every page must be -------------------------------------------------


def raw_page(driver, path):
    """The page's bytes as the server sent them, with the browser's cookies."""
    request = urllib.request.Request(BASE + path)
    request.add_header("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies()))
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.read()


def check_page(driver, name, path):
    """Well-formed (html5lib, no parse errors), a lang attribute, a label for
    every form control; screenshots at desktop and phone width, and no
    horizontal scrollbar at 390 px."""
    body = raw_page(driver, path)
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    document = parser.parse(body)
    check(not parser.errors, f"{path}: html5lib reports {parser.errors[:5]}")
    check(document.get("lang"), f"{path}: <html> has no lang attribute")
    labelled = {label.get("for") for label in document.iter("label") if label.get("for")}
    for element in document.iter():
        if element.tag not in ("input", "select", "textarea"):
            continue
        if element.tag == "input" and element.get("type") in ("hidden", "submit", "button"):
            continue
        check(element.get("id") in labelled,
              f"{path}: the {element.tag} named {element.get('name')!r} (id {element.get('id')!r}) has no <label for>")
    open_page(driver, path)
    os.makedirs(SHOTS, exist_ok=True)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(1280, 1000)
    driver.save_screenshot(f"{SHOTS}/{name}-desktop.png")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": PHONE_WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    open_page(driver, path)
    widths = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]")
    check(widths[0] <= widths[1],
          f"{path}: at {PHONE_WIDTH} px the page is {widths[0]} px wide (viewport {widths[1]}): a horizontal scrollbar")
    driver.save_screenshot(f"{SHOTS}/{name}-phone.png")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    open_page(driver, path)
    step(f"{path}: well-formed, lang={document.get('lang')}, every control labelled, no horizontal scroll at {PHONE_WIDTH} px")


# --- The daemon's other doors --------------------------------------------------


def outbox():
    return sorted(glob.glob(os.path.join(SETTINGS["outbox"], "*")))


def wait_outbox(count, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        files = outbox()
        if len(files) >= count:
            return files
        time.sleep(0.1)
    fail(f"the outbox holds {len(outbox())} file(s) after {seconds} s, expected {count}")


def newest_mail(files):
    newest = max(files, key=os.path.getmtime)
    with open(newest, "rb") as handle:
        return email.message_from_binary_file(handle, policy=email.policy.default)


def order_paid(locale=None):
    with open(os.path.join(SETTINGS["templates"], "samples", "order_paid.json")) as handle:
        data = json.load(handle)
    data.pop("related_products", None)
    data.pop("coupon", None)
    headers = "X-Shop-Template: order_paid\r\n"
    if locale:
        headers += f"X-Shop-Locale: {locale}\r\n"
    body = json.dumps(data, indent=2, ensure_ascii=False).replace("\n", "\r\n")
    return (headers + "Content-Type: application/json; charset=utf-8\r\n\r\n" + body + "\r\n").encode("utf-8"), data


def send(message, recipient="maria@example.bg"):
    """One message over SMTP; returns the reply code to DATA."""
    with smtplib.SMTP("127.0.0.1", SETTINGS["smtp_port"], timeout=20) as client:
        client.ehlo("shop.test")
        code, _ = client.mail("shop@romashka.example", ["BODY=8BITMIME"])
        check(code == 250, f"MAIL FROM: {code}")
        code, _ = client.rcpt(recipient)
        check(code == 250, f"RCPT TO: {code}")
        code, reply = client.data(message)
        return code, reply.decode()


def api(path, method="GET", body=None):
    request = urllib.request.Request(BASE + path, method=method, data=body.encode() if body else None)
    request.add_header("Authorization", "Bearer " + SETTINGS["token"])
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def post_without_browser(path, fields, cookies):
    """A form post as another site would forge it: the user's cookie may come along, the token cannot."""
    request = urllib.request.Request(BASE + path, method="POST", data=urllib.parse.urlencode(fields).encode())
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if cookies:
        request.add_header("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in cookies))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(driver, user, password):
    open_page(driver, "/login")
    set_text(driver, "name", user)
    set_text(driver, "password", password)
    click(driver, "sign-in")


def job_state(email_address):
    jobs = api("/v1/automations?state=scheduled,sending,sent,skipped,cancelled&customer=" + urllib.parse.quote(email_address))
    return jobs[0]["state"] if jobs else None


def stale_cart(email_address, cart, age=3 * 3600):
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - age))
    return json.dumps({"type": "cart.updated", "time": moment, "email": email_address, "cart_id": cart,
                       "items": [{"sku": "TEA-SEN-100", "quantity": 2, "price": "18.90"}],
                       "checkout_url": "https://romashka.example/c/" + cart})


# --- The parts -----------------------------------------------------------------


def owner_part(driver):
    owner, password = SETTINGS["owner"], SETTINGS["owner_password"]
    check_page_login(driver)
    sign_in(driver, owner, password)
    check(driver.current_url.endswith("/notifications"), f"after sign-in: {driver.current_url}")
    cookies = driver.get_cookies()
    session = next(c for c in cookies if c["name"] == "poshta_session")
    check(session["httpOnly"] and session.get("sameSite") == "Strict", f"the session cookie: {session}")
    step("signed in as the owner; the session cookie is HttpOnly and SameSite=Strict")

    # CSRF: the user's own cookie, but no token: refused, nothing changed.
    before = api("/v1/notifications")
    status = post_without_browser("/notifications", {"customer": "on"}, cookies)
    check(status == 403, f"a form post without the CSRF token got {status}, expected 403")
    check(api("/v1/notifications") == before, "the refused post changed the switches")
    status = post_without_browser("/notifications", {"customer": "on", "csrf": "forged"}, cookies)
    check(status == 403, f"a form post with a wrong CSRF token got {status}")
    step("form posts without the CSRF token, or with a wrong one, are refused with 403 and change nothing")

    # Notifications: order_paid off -> 250 and nothing sent; on -> it goes.
    check_page(driver, "notifications", "/notifications")
    set_checkbox(driver, "n-order_paid", False)
    click(driver, "save")
    check(notice(driver), "no notice after saving the switches")
    check("order_paid" in api("/v1/notifications")["disabled"], "order_paid is not switched off in the daemon")
    message, data = order_paid()
    count = len(outbox())
    code, reply = send(message)
    check(code == 250, f"order_paid while switched off: {code} {reply}")
    time.sleep(1.5)
    check(len(outbox()) == count, "order_paid was delivered although switched off")
    check(api("/v1/stats")["messages"] == 0, "order_paid is on the queue although switched off")
    step(f"order_paid switched off in the console: 250 ({reply.strip()}), nothing in the outbox")
    open_page(driver, "/notifications")
    set_checkbox(driver, "n-order_paid", True)
    click(driver, "save")
    code, reply = send(message)
    check(code == 250 and "queued as" in reply, f"order_paid switched on: {code} {reply}")
    wait_outbox(count + 1)
    step("order_paid switched on again: it is delivered")

    # A template's subject in Bulgarian, with the live preview.
    check_page(driver, "templates", "/templates")
    check_page(driver, "template-editor", "/templates/bg/order_paid")
    subject = "Платено: поръчка {{order.number}} — благодарим!"
    set_text(driver, "subject", subject)
    expected = "Платено: поръчка " + data["order"]["number"] + " — благодарим!"
    wait(driver, lambda d: d.find_element(By.ID, "preview-subject").text == expected)
    frame = driver.find_element(By.ID, "preview")
    check(frame.get_attribute("sandbox") == "", "the preview iframe is not sandboxed")
    step("the preview follows the subject as it is typed")
    click(driver, "save")
    check(notice(driver), f"no notice after saving the template: {alert_text(driver)}")
    count = len(outbox())
    message, _ = order_paid("bg")
    code, reply = send(message)
    check(code == 250, f"order_paid in bg: {code} {reply}")
    mail = newest_mail(wait_outbox(count + 1))
    check(mail["subject"] == expected, f"the next mail's subject is {mail['subject']!r}, expected {expected!r}")
    step(f"saved; the next Bulgarian order_paid has the subject {expected!r}")

    # A syntax error is refused with the line.
    open_page(driver, "/templates/bg/order_paid")
    html = driver.find_element(By.ID, "html").get_attribute("value")
    broken = html.replace("{{", "{{#order}}\n{{", 1) if "{{" in html else html + "{{#order}}"
    set_text(driver, "html", broken)
    click(driver, "save")
    problem = alert_text(driver)
    check("html" in problem and "line" in problem and "never closed" in problem, f"the refusal says {problem!r}")
    code, reply = send(message)
    mail = newest_mail(wait_outbox(count + 2))
    check(mail["subject"] == expected, "a refused template changed the mail")
    step(f"a template with a syntax error is refused: {problem!r}")

    # Send a test of the saved template; then back to the shipped one.
    custom = os.path.join(SETTINGS["templates"], "custom", "bg", "order_paid.subject.mustache")
    with open(custom) as handle:
        kept = handle.read()
    check(kept.startswith("{{% CONTENT_TYPE: TEXT}}\n") and "Платено: поръчка {{order.number}}" in kept,
          f"the edit is kept as {kept!r}")
    check(not os.path.exists(custom.replace("subject", "html")), "the unchanged HTML part was written too")
    open_page(driver, "/templates/bg/order_paid")
    set_text(driver, "test-to", "owner@romashka.example")
    click(driver, "send-test")
    check(notice(driver), f"no notice after sending a test: {alert_text(driver)}")
    mail = newest_mail(wait_outbox(count + 3))
    check(mail["to"].addresses[0].addr_spec == "owner@romashka.example" and mail["subject"] == expected,
          f"the test mail: {mail['to']} {mail['subject']!r}")
    step("the test mail reaches the address given, with the saved subject")
    click(driver, "revert", confirm=True)
    check(not os.path.exists(custom), "revert left the edited subject")
    code, reply = send(message)
    mail = newest_mail(wait_outbox(count + 4))
    check(mail["subject"] != expected and "RM-10482" in mail["subject"], f"after revert the subject is {mail['subject']!r}")
    step(f"reverted: the next mail has the shipped subject again ({mail['subject']!r})")

    # Automations: a due job is not sent while its automation is off; it goes once on.
    check_page(driver, "automations", "/automations")
    set_checkbox(driver, "marketing", True)
    click(driver, "save")
    check(notice(driver), f"no notice after saving the automations: {alert_text(driver)}")
    check(api("/v1/automations/settings")["enabled"], "marketing is not on in the daemon")
    # A cart left 2 hours less 6 seconds ago: its reminder falls due in 6 seconds.
    api("/v1/events", "POST", stale_cart("anna@example.bg", "c-1", age=2 * 3600 - 6))
    check(job_state("anna@example.bg") == "scheduled",
          f"the cart reminder is not scheduled: {api('/v1/automations?state=scheduled,sending,sent,skipped,cancelled')}")
    set_checkbox(driver, "a-abandoned_cart", False)
    click(driver, "save")
    check(not api("/v1/automations/settings")["automations"]["abandoned_cart"]["enabled"], "abandoned_cart is still on")
    check(job_state("anna@example.bg") == "scheduled", "the job was decided before it was due")
    deadline = time.time() + 15
    while job_state("anna@example.bg") in ("scheduled", "sending") and time.time() < deadline:
        time.sleep(0.2)
    check(job_state("anna@example.bg") == "skipped", f"the due job is {job_state('anna@example.bg')}, expected skipped")
    count = len(outbox())
    time.sleep(1)
    check(len(outbox()) == count, "a mail went out for the switched-off automation")
    step("abandoned cart switched off while its job waited: once due, the job is skipped, nothing sent")
    # The reminder's coupon, set by the owner: refused when it makes no sense, then 15 % for 7 days.
    open_page(driver, "/coupons?key=abandoned_cart")
    check(driver.find_element(By.ID, "rule-percent").get_attribute("value") == "10", "the form does not show the configured 10 %")
    Select(driver.find_element(By.ID, "rule-source")).select_by_value("generate")
    set_text(driver, "rule-percent", "150")
    click(driver, "save-rule")
    problem = alert_text(driver)
    check("percent: 150" in problem and "not a percentage" in problem, f"a 150 % coupon: {problem!r}")
    set_text(driver, "rule-percent", "15")
    set_text(driver, "rule-prefix", "SPRING-")
    set_text(driver, "rule-days", "7")
    click(driver, "save-rule")
    check(notice(driver), f"no notice after saving the coupon rule: {alert_text(driver)}")
    rules = driver.find_element(By.ID, "coupon-rules").text
    check("15 %" in rules and "SPRING-" in rules, f"the rules table says {rules!r}")
    old = driver.find_element(By.TAG_NAME, "html")
    Select(driver.find_element(By.ID, "rule-key")).select_by_value("order_paid")
    wait(driver, lambda d: gone(old) and "key=order_paid" in d.current_url)
    check(driver.find_element(By.ID, "rule-percent").get_attribute("value") == "10"
          and driver.find_element(By.ID, "rule-prefix").get_attribute("value") == "PAID-",
          "choosing order_paid does not show its rule")
    step("the cart reminder's coupon set to 15 % for 7 days (a 150 % coupon refused with the field and the reason); choosing another email shows its rule")
    open_page(driver, "/automations")
    set_checkbox(driver, "a-abandoned_cart", True)
    set_text(driver, "d-abandoned_cart", "3 часа")
    click(driver, "save")
    check(api("/v1/automations/settings")["automations"]["abandoned_cart"]["delay"] == "3h", "the delay did not read back")
    api("/v1/events", "POST", stale_cart("petar@example.bg", "c-2"))
    mail = newest_mail(wait_outbox(count + 1))
    check(mail["to"] == "petar@example.bg", f"the reminder went to {mail['to']}")
    text = mail.get_body(("plain",)).get_content()
    check("-15%" in text and "SPRING-" in text, "the reminder does not carry the owner's 15 % coupon")
    step("switched on again (delay typed as „3 часа“): the next due cart reminder goes out, with the owner's 15 % SPRING- coupon")

    check_page(driver, "coupons", "/coupons")
    csv_imports(driver)
    check_page(driver, "catalog", "/catalog?q=TEA")
    check_page(driver, "product", "/catalog/TEA-SEN-100")
    check("TEA-GEN-100" in driver.find_element(By.ID, "related").text, "the product page does not show its related product")

    # The owner's language: Bulgarian, kept for the next sign-in.
    open_page(driver, "/notifications")
    driver.find_element(By.CSS_SELECTOR, "#language option[value=bg]").click()
    click(driver, "language-change")
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "bg", "the page is not in Bulgarian")
    check_page(driver, "notifications-bg", "/notifications")
    click(driver, "sign-out")
    sign_in(driver, owner, password)
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "bg", "the language was not kept")
    open_page(driver, "/queue")
    check(("for administrators" in driver.page_source or "за администратори" in driver.page_source)
          and not driver.find_elements(By.ID, "queue-counts"),
          "the owner saw the queue")
    step("the owner's language is Bulgarian and kept; the queue is for administrators only")


def csv_imports(driver):
    """Codes and products imported from files, in chunks, with a progress bar and a report of bad rows."""
    folder = tempfile.mkdtemp(prefix="poshta-console-csv")
    codes = os.path.join(folder, "codes.csv")
    with open(codes, "w") as handle:
        # 1,200 good codes and, on line 601, one that is not a code.
        lines = [f"SPRING-{number:04d}" for number in range(1200)]
        lines.insert(600, "not a code")
        handle.write("\n".join(lines) + "\n")
    open_page(driver, "/coupons")
    Select(driver.find_element(By.ID, "pool-template")).select_by_value("order_paid")
    driver.find_element(By.ID, "pool-file").send_keys(codes)
    driver.find_element(By.CSS_SELECTOR, "#coupon-import button[type=submit]").click()
    report = driver.find_element(By.CSS_SELECTOR, "#coupon-import output")
    wait(driver, lambda d: report.text.strip() != "", 30)
    said = report.text
    check(said.splitlines()[0].endswith(": 1200") and "line 601: \"not a code\" is not a code" in said,
          f"the coupon import reports {said!r}")
    bar = driver.find_element(By.CSS_SELECTOR, "#coupon-import progress")
    check(bar.get_attribute("value") == bar.get_attribute("max") == "1201", "the progress bar did not reach the end")
    open_page(driver, "/coupons")
    row = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#pools tbody tr") if r.text.startswith("order_paid")]
    check(row and row[0].split()[1] == "1203", f"the pool row is {row}")
    step("1,200 coupon codes imported in three chunks with a progress bar, the bad line 601 reported; the pool shows 1,203 left")

    products = os.path.join(folder, "products.csv")
    with open(products, "w") as handle:
        handle.write("sku,price,currency,name_en,related\nNEW-1,5.00,BGN,New tea,TEA-SEN-100\n"
                     "NEW-2,6.00,BGN,\"Tea, with a line\nbreak\",\nBAD-1,cheap,BGN,Bad tea,\n")
    open_page(driver, "/catalog")
    driver.find_element(By.ID, "catalog-file").send_keys(products)
    driver.find_element(By.CSS_SELECTOR, "#catalog-import button[type=submit]").click()
    report = driver.find_element(By.CSS_SELECTOR, "#catalog-import output")
    wait(driver, lambda d: report.text.strip() != "", 30)
    said = report.text
    check(said.splitlines()[0].endswith(": 2") and "line 5: sku BAD-1" in said, f"the catalog import reports {said!r}")
    open_page(driver, "/catalog?q=new+tea")
    check("NEW-1" in driver.find_element(By.ID, "products").text, "the imported product is not found by its name")
    step(f"a catalog CSV imported: two products (one name with a line break), the bad row reported ({said.splitlines()[-1]!r}); search finds it")


def check_page_login(driver):
    open_page(driver, "/")
    check(driver.current_url.endswith("/login"), f"an anonymous visitor is at {driver.current_url}, not /login")
    check_page(driver, "login", "/login")
    status = post_without_browser("/login", {"name": SETTINGS["owner"], "password": SETTINGS["owner_password"]}, [])
    check(status == 403, f"a sign-in post without the form's token got {status}")
    step("a sign-in post without the form's token is refused with 403")


def queue_part(driver):
    sign_in(driver, SETTINGS["admin"], SETTINGS["admin_password"])
    message, _ = order_paid()
    for _ in range(2):
        code, reply = send(message)
        check(code == 250, f"queueing a message: {code} {reply}")
    listing = api("/v1/queue")
    check(listing["total"] == 2, f"the queue holds {listing['total']} messages")
    first = listing["messages"][0]["id"]
    check_page(driver, "queue", "/queue")
    check_page(driver, "queue-messages", "/queue/messages")
    check_page(driver, "queue-message", "/queue/messages/" + first)
    open_page(driver, "/queue/messages")
    driver.find_element(By.ID, "select-" + first).click()
    click(driver, "action-hold", confirm=True)
    check(notice(driver).startswith("Done: 1 recipient"), f"after hold: {notice(driver)!r}")
    states = {m["id"]: m["recipients"][0]["state"] for m in api("/v1/queue")["messages"]}
    check(states[first] == "hold" and list(states.values()).count("hold") == 1, f"after hold: {states}")
    step(f"{first} put on hold from the list (confirmed), the other message untouched")
    open_page(driver, "/queue/messages?state=hold")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#queue-list tbody tr")) == 1, "the hold filter does not show one message")
    driver.find_element(By.ID, "select-" + first).click()
    click(driver, "action-release", confirm=True)
    states = {m["id"]: m["recipients"][0]["state"] for m in api("/v1/queue")["messages"]}
    check(states[first] == "queued", f"after release: {states}")
    step(f"{first} released")
    open_page(driver, "/queue/messages/" + first)
    check("order_paid" in driver.page_source, "the message page does not show the template tag")
    step("the message page shows the envelope, tags and raw text")


def throttle_part(driver):
    owner = SETTINGS["owner"]
    attempts = SETTINGS["max_failures"]
    for attempt in range(1, attempts + 1):
        sign_in(driver, owner, "wrong password")
        text = alert_text(driver)
        if attempt < attempts:
            check("wrong" in text, f"attempt {attempt}: {text!r}")
        else:
            check("Too many" in text, f"attempt {attempt}: {text!r}")
    sign_in(driver, owner, SETTINGS["owner_password"])
    check(driver.current_url.endswith("/login") and "Too many" in alert_text(driver),
          "the right password was let in during the block")
    step(f"{attempts} wrong passwords block the address; the right one is refused too while blocked")


def main():
    driver = browser()
    try:
        {"owner": owner_part, "queue": queue_part, "throttle": throttle_part}[SETTINGS["part"]](driver)
    except Exception as error:
        try:
            os.makedirs(SHOTS, exist_ok=True)
            driver.save_screenshot(f"{SHOTS}/failure-{SETTINGS['part']}.png")
        except Exception:
            pass
        print(f"FAILED at {driver.current_url}: {type(error).__name__}: {error}", flush=True)
        sys.exit(1)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
