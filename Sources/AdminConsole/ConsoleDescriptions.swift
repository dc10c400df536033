/// What the web console says about each notification and automation, in its three languages:
/// a short name for the switch's label and one sentence saying when the mail is sent.
struct ConsoleDescription: Sendable {
    var name: String
    var when: String
}

enum ConsoleDescriptions {
    /// Template key → locale ("en", "bg", "mk") → its description. Every template key of kind
    /// customer or admin in conf/templates/schema.
    static let notifications: [String: [String: ConsoleDescription]] = [
        "admin_account_changed": [
            "en": ConsoleDescription(
                name: "Administrator account changed",
                when: "Sent to the shop's administrators when an administrator account is changed."),
            "bg": ConsoleDescription(
                name: "Променен администраторски профил",
                when: "Изпраща се на администраторите на магазина, когато администраторски профил бъде променен."),
            "mk": ConsoleDescription(
                name: "Променета администраторска сметка",
                when: "Се испраќа до администраторите на продавницата кога ќе се промени администраторска сметка."),
        ],
        "admin_account_created": [
            "en": ConsoleDescription(
                name: "New administrator account",
                when: "Sent to a new administrator when an account is created for them, with a link to set a password."),
            "bg": ConsoleDescription(
                name: "Нов администраторски профил",
                when: "Изпраща се на новия администратор, когато за него бъде създаден профил, с връзка за задаване на парола."),
            "mk": ConsoleDescription(
                name: "Нова администраторска сметка",
                when: "Се испраќа до новиот администратор кога ќе му се отвори сметка, со линк за поставување лозинка."),
        ],
        "admin_customer_registered": [
            "en": ConsoleDescription(
                name: "New customer registered",
                when: "Sent to the shop's administrators when a customer creates an account."),
            "bg": ConsoleDescription(
                name: "Нов регистриран клиент",
                when: "Изпраща се на администраторите на магазина, когато клиент си създаде профил."),
            "mk": ConsoleDescription(
                name: "Нов регистриран купувач",
                when: "Се испраќа до администраторите на продавницата кога купувач ќе отвори сметка."),
        ],
        "admin_inquiry": [
            "en": ConsoleDescription(
                name: "Customer inquiry",
                when: "Sent to the shop's administrators when a visitor sends a question through the shop."),
            "bg": ConsoleDescription(
                name: "Запитване от клиент",
                when: "Изпраща се на администраторите на магазина, когато посетител изпрати запитване през сайта."),
            "mk": ConsoleDescription(
                name: "Прашање од купувач",
                when: "Се испраќа до администраторите на продавницата кога посетител ќе испрати прашање преку сајтот."),
        ],
        "admin_low_stock": [
            "en": ConsoleDescription(
                name: "Low stock",
                when: "Sent to the shop's administrators when a product's stock drops below the minimum set for it."),
            "bg": ConsoleDescription(
                name: "Ниска наличност",
                when: "Изпраща се на администраторите на магазина, когато наличността на продукт падне под зададения минимум."),
            "mk": ConsoleDescription(
                name: "Ниска залиха",
                when: "Се испраќа до администраторите на продавницата кога залихата на производ ќе падне под зададениот минимум."),
        ],
        "admin_new_order": [
            "en": ConsoleDescription(
                name: "New order",
                when: "Sent to the shop's administrators when a customer places an order."),
            "bg": ConsoleDescription(
                name: "Нова поръчка",
                when: "Изпраща се на администраторите на магазина, когато клиент направи поръчка."),
            "mk": ConsoleDescription(
                name: "Нова нарачка",
                when: "Се испраќа до администраторите на продавницата кога купувач ќе направи нарачка."),
        ],
        "admin_newsletter_subscribed": [
            "en": ConsoleDescription(
                name: "Newsletter subscription",
                when: "Sent to the shop's administrators when someone subscribes to the newsletter."),
            "bg": ConsoleDescription(
                name: "Нов абонат за бюлетина",
                when: "Изпраща се на администраторите на магазина, когато някой се абонира за бюлетина."),
            "mk": ConsoleDescription(
                name: "Нов претплатник на билтенот",
                when: "Се испраќа до администраторите на продавницата кога некој ќе се претплати на билтенот."),
        ],
        "admin_newsletter_unsubscribed": [
            "en": ConsoleDescription(
                name: "Newsletter unsubscribe",
                when: "Sent to the shop's administrators when someone unsubscribes from the newsletter."),
            "bg": ConsoleDescription(
                name: "Отписване от бюлетина",
                when: "Изпраща се на администраторите на магазина, когато някой се отпише от бюлетина."),
            "mk": ConsoleDescription(
                name: "Одјава од билтенот",
                when: "Се испраќа до администраторите на продавницата кога некој ќе се одјави од билтенот."),
        ],
        "admin_order_status_changed": [
            "en": ConsoleDescription(
                name: "Order status changed",
                when: "Sent to the shop's administrators when the status of an order changes."),
            "bg": ConsoleDescription(
                name: "Променен статус на поръчка",
                when: "Изпраща се на администраторите на магазина, когато статусът на поръчка се промени."),
            "mk": ConsoleDescription(
                name: "Променет статус на нарачка",
                when: "Се испраќа до администраторите на продавницата кога ќе се промени статусот на нарачка."),
        ],
        "admin_out_of_stock": [
            "en": ConsoleDescription(
                name: "Out of stock",
                when: "Sent to the shop's administrators when a product whose stock is tracked runs out."),
            "bg": ConsoleDescription(
                name: "Изчерпан продукт",
                when: "Изпраща се на администраторите на магазина, когато продукт със следена наличност се изчерпа."),
            "mk": ConsoleDescription(
                name: "Нема на залиха",
                when: "Се испраќа до администраторите на продавницата кога ќе снема производ чија залиха се следи."),
        ],
        "admin_password_changed": [
            "en": ConsoleDescription(
                name: "Administrator password changed",
                when: "Sent to the shop's administrators when an administrator's password is changed."),
            "bg": ConsoleDescription(
                name: "Сменена парола на администратор",
                when: "Изпраща се на администраторите на магазина, когато паролата на администратор бъде сменена."),
            "mk": ConsoleDescription(
                name: "Променета лозинка на администратор",
                when: "Се испраќа до администраторите на продавницата кога ќе се промени лозинката на администратор."),
        ],
        "admin_payment_status_changed": [
            "en": ConsoleDescription(
                name: "Payment status changed",
                when: "Sent to the shop's administrators when the payment status of an order changes."),
            "bg": ConsoleDescription(
                name: "Променен статус на плащане",
                when: "Изпраща се на администраторите на магазина, когато статусът на плащането по поръчка се промени."),
            "mk": ConsoleDescription(
                name: "Променет статус на плаќање",
                when: "Се испраќа до администраторите на продавницата кога ќе се промени статусот на плаќањето за нарачка."),
        ],
        "digital_order": [
            "en": ConsoleDescription(
                name: "Digital order downloads",
                when: "Sent to the customer after buying digital products, with the links to download them."),
            "bg": ConsoleDescription(
                name: "Дигитални продукти за изтегляне",
                when: "Изпраща се на клиента след покупка на дигитални продукти, с връзките за изтеглянето им."),
            "mk": ConsoleDescription(
                name: "Производи за преземање",
                when: "Се испраќа до купувачот по купување дигитални производи, со линковите за нивно преземање."),
        ],
        "email_confirm": [
            "en": ConsoleDescription(
                name: "New email confirmation",
                when: "Sent to the customer who changes their account's email address, with a link to confirm it."),
            "bg": ConsoleDescription(
                name: "Потвърждение на нов имейл",
                when: "Изпраща се на клиента, когато смени имейл адреса на профила си, с връзка за потвърждение."),
            "mk": ConsoleDescription(
                name: "Потврда на нова е-пошта",
                when: "Се испраќа до купувачот кога ќе ја промени адресата за е-пошта на сметката, со линк за потврда."),
        ],
        "order_bank_transfer": [
            "en": ConsoleDescription(
                name: "Bank transfer details",
                when: "Sent to the customer who chooses to pay for an order by bank transfer, with the shop's bank details."),
            "bg": ConsoleDescription(
                name: "Данни за банков превод",
                when: "Изпраща се на клиента при поръчка с плащане с банков превод, с банковите данни на магазина."),
            "mk": ConsoleDescription(
                name: "Податоци за банкарски трансфер",
                when: "Се испраќа до купувачот кога ќе избере плаќање со банкарски трансфер, со податоците за уплата."),
        ],
        "order_cash_on_delivery": [
            "en": ConsoleDescription(
                name: "Cash on delivery order",
                when: "Sent to the customer who places an order to be paid on delivery."),
            "bg": ConsoleDescription(
                name: "Поръчка с наложен платеж",
                when: "Изпраща се на клиента, когато направи поръчка с плащане с наложен платеж."),
            "mk": ConsoleDescription(
                name: "Нарачка со плаќање при достава",
                when: "Се испраќа до купувачот кога ќе направи нарачка со плаќање при достава."),
        ],
        "order_item_added": [
            "en": ConsoleDescription(
                name: "Products added to order",
                when: "Sent to the customer when the shop adds products to their order, with the new total."),
            "bg": ConsoleDescription(
                name: "Допълнена поръчка",
                when: "Изпраща се на клиента, когато магазинът добави продукти към поръчката му, с новата обща сума."),
            "mk": ConsoleDescription(
                name: "Дополнета нарачка",
                when: "Се испраќа до купувачот кога продавницата ќе додаде производи во неговата нарачка, со новиот вкупен износ."),
        ],
        "order_paid": [
            "en": ConsoleDescription(
                name: "Order paid",
                when: "Sent to the customer when the payment for their order is received."),
            "bg": ConsoleDescription(
                name: "Платена поръчка",
                when: "Изпраща се на клиента, когато плащането за поръчката му бъде получено."),
            "mk": ConsoleDescription(
                name: "Платена нарачка",
                when: "Се испраќа до купувачот кога ќе биде примено плаќањето за неговата нарачка."),
        ],
        "order_shipped": [
            "en": ConsoleDescription(
                name: "Order shipped",
                when: "Sent to the customer when their order is shipped."),
            "bg": ConsoleDescription(
                name: "Изпратена поръчка",
                when: "Изпраща се на клиента, когато поръчката му бъде предадена за доставка."),
            "mk": ConsoleDescription(
                name: "Испратена нарачка",
                when: "Се испраќа до купувачот кога неговата нарачка ќе биде испратена."),
        ],
        "order_status_changed": [
            "en": ConsoleDescription(
                name: "Order status update",
                when: "Sent to the customer when the status of their order changes."),
            "bg": ConsoleDescription(
                name: "Нов статус на поръчка",
                when: "Изпраща се на клиента, когато статусът на поръчката му се промени."),
            "mk": ConsoleDescription(
                name: "Нов статус на нарачката",
                when: "Се испраќа до купувачот кога ќе се промени статусот на неговата нарачка."),
        ],
        "order_unfinished": [
            "en": ConsoleDescription(
                name: "Unfinished order reminder",
                when: "Sent to a customer who left an order unfinished; needs the \"automatic reminders for unfinished orders\" setting on."),
            "bg": ConsoleDescription(
                name: "Незавършена поръчка",
                when: "Изпраща се на клиент с незавършена поръчка, само ако настройката „Автоматични напомняния за незавършени поръчки“ е включена."),
            "mk": ConsoleDescription(
                name: "Незавршена нарачка",
                when: "Се испраќа до купувач со незавршена нарачка, само ако е вклучена поставката „Автоматски потсетници за незавршени нарачки“."),
        ],
        "password_changed": [
            "en": ConsoleDescription(
                name: "Password changed",
                when: "Sent to the customer when the password of their account is changed."),
            "bg": ConsoleDescription(
                name: "Сменена парола",
                when: "Изпраща се на клиента, когато паролата за профила му бъде сменена."),
            "mk": ConsoleDescription(
                name: "Променета лозинка",
                when: "Се испраќа до купувачот кога ќе се промени лозинката на неговата сметка."),
        ],
        "password_reset": [
            "en": ConsoleDescription(
                name: "Password reset",
                when: "Sent to a customer who forgot their password and asks for a new one, with a link to set it."),
            "bg": ConsoleDescription(
                name: "Нова парола",
                when: "Изпраща се на клиент, който е забравил паролата си и поиска нова, с връзка за задаването ѝ."),
            "mk": ConsoleDescription(
                name: "Ресетирање на лозинката",
                when: "Се испраќа до купувач што ја заборавил лозинката и побарал нова, со линк за поставување нова лозинка."),
        ],
        "payment_failed": [
            "en": ConsoleDescription(
                name: "Payment failed",
                when: "Sent to the customer when the payment for their order does not go through."),
            "bg": ConsoleDescription(
                name: "Неуспешно плащане",
                when: "Изпраща се на клиента, когато плащането за поръчката му не е успешно."),
            "mk": ConsoleDescription(
                name: "Неуспешно плаќање",
                when: "Се испраќа до купувачот кога плаќањето за неговата нарачка нема да успее."),
        ],
        "registration_confirm": [
            "en": ConsoleDescription(
                name: "Registration confirmation",
                when: "Sent to the customer after registering, with a link to confirm the email address and activate the account."),
            "bg": ConsoleDescription(
                name: "Потвърждение на регистрация",
                when: "Изпраща се на клиента след регистрация, с връзка за потвърждаване на имейла и активиране на профила."),
            "mk": ConsoleDescription(
                name: "Потврда на регистрацијата",
                when: "Се испраќа до купувачот по регистрацијата, со линк за потврда на е-поштата и активирање на сметката."),
        ],
        "welcome": [
            "en": ConsoleDescription(
                name: "Welcome message",
                when: "Sent to the customer to welcome them once their account in the shop is created."),
            "bg": ConsoleDescription(
                name: "Писмо „Добре дошли“",
                when: "Изпраща се на клиента като поздрав, след като си създаде профил в магазина."),
            "mk": ConsoleDescription(
                name: "Порака за добредојде",
                when: "Се испраќа до купувачот како поздрав, откако ќе отвори сметка во продавницата."),
        ],
    ]

    /// Automation (the raw values: favorites_reminder, abandoned_cart, order_related, feedback_request,
    /// loyalty_thanks, inactive_reminder, purchase_anniversary) → locale → description; `when` says the
    /// rule in plain words without the delay number (the page shows the delay beside it).
    static let automations: [String: [String: ConsoleDescription]] = [
        "abandoned_cart": [
            "en": ConsoleDescription(
                name: "Abandoned cart",
                when: "After a customer leaves a cart without ordering; not sent if an order follows."),
            "bg": ConsoleDescription(
                name: "Изоставена количка",
                when: "След като клиент остави продукти в количката си, без да поръча; не се изпраща, ако последва поръчка."),
            "mk": ConsoleDescription(
                name: "Заборавена кошничка",
                when: "Откако купувачот ќе остави производи во кошничката без да нарача; не се испраќа ако следи нарачка."),
        ],
        "favorites_reminder": [
            "en": ConsoleDescription(
                name: "Favorites reminder",
                when: "After a customer adds products to favorites; not sent once they have bought them."),
            "bg": ConsoleDescription(
                name: "Напомняне за любими продукти",
                when: "След като клиент добави продукти в любими; не се изпраща, ако междувременно ги е купил."),
            "mk": ConsoleDescription(
                name: "Потсетник за омилени производи",
                when: "Откако купувачот ќе зачува производи меѓу омилените; не се испраќа ако во меѓувреме ги купи."),
        ],
        "feedback_request": [
            "en": ConsoleDescription(
                name: "Feedback request",
                when: "After an order is shipped, or a day after it is delivered if that comes first; once per order."),
            "bg": ConsoleDescription(
                name: "Молба за мнение",
                when: "След изпращане на поръчката или ден след доставката ѝ, ако това е по-рано; веднъж за поръчка."),
            "mk": ConsoleDescription(
                name: "Барање мислење",
                when: "Откако нарачката ќе биде испратена или ден по испораката, ако тоа е порано; еднаш за секоја нарачка."),
        ],
        "inactive_reminder": [
            "en": ConsoleDescription(
                name: "Inactive customer reminder",
                when: "After a customer's last order, if they have not ordered again; each new order starts the wait over."),
            "bg": ConsoleDescription(
                name: "Напомняне при неактивност",
                when: "След последната поръчка на клиент, ако не е поръчал отново; всяка нова поръчка отлага писмото."),
            "mk": ConsoleDescription(
                name: "Потсетник за неактивни купувачи",
                when: "По последната нарачка на купувачот, ако не нарачал повторно; секоја нова нарачка ја одложува пораката."),
        ],
        "loyalty_thanks": [
            "en": ConsoleDescription(
                name: "Thanks for coming back",
                when: "After a customer's second and every later order, to thank them for coming back."),
            "bg": ConsoleDescription(
                name: "Благодарност за лоялност",
                when: "След втората и всяка следваща поръчка на клиент, с благодарност, че се връща."),
            "mk": ConsoleDescription(
                name: "Благодарност за верност",
                when: "По втората и секоја следна нарачка на купувачот, со благодарност што повторно купува кај нас."),
        ],
        "order_related": [
            "en": ConsoleDescription(
                name: "Related products after an order",
                when: "After each order, showing the customer products that go well with what they bought."),
            "bg": ConsoleDescription(
                name: "Свързани продукти след поръчка",
                when: "След всяка поръчка, с продукти, които допълват покупката на клиента."),
            "mk": ConsoleDescription(
                name: "Поврзани производи по нарачка",
                when: "По секоја нарачка, со производи што одат со она што купувачот го нарачал."),
        ],
        "purchase_anniversary": [
            "en": ConsoleDescription(
                name: "Purchase anniversary",
                when: "After an order, recalling it to the customer with a selection of the shop's products."),
            "bg": ConsoleDescription(
                name: "Годишнина от покупка",
                when: "След поръчка, с напомняне за нея и подбрани продукти от магазина."),
            "mk": ConsoleDescription(
                name: "Годишнина од нарачката",
                when: "По нарачка, со потсетување на неа и издвоени производи од продавницата."),
        ],
    ]
}
