import Foundation
import GRDB

/// The store's tables, one migration per release of the schema.
extension SQLiteShopStore {
    /// Migrations are never edited once released; add new ones at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: catalog, coupons, suppression") { db in
            try db.execute(
                sql: """
                    CREATE TABLE product (
                        sku TEXT PRIMARY KEY NOT NULL,
                        names TEXT NOT NULL,
                        price REAL NOT NULL,
                        old_price REAL,
                        currency TEXT NOT NULL,
                        url TEXT,
                        image_url TEXT,
                        categories TEXT NOT NULL,
                        related TEXT NOT NULL,
                        stock INTEGER,
                        track_inventory INTEGER NOT NULL DEFAULT 0,
                        min_quantity INTEGER,
                        units_sold INTEGER NOT NULL DEFAULT 0,
                        active INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE TABLE product_category (
                        sku TEXT NOT NULL REFERENCES product(sku) ON DELETE CASCADE,
                        category TEXT NOT NULL,
                        PRIMARY KEY (category, sku)
                    ) WITHOUT ROWID;
                    CREATE INDEX product_price ON product(active, price);
                    CREATE TABLE coupon (
                        code TEXT PRIMARY KEY NOT NULL,
                        template TEXT NOT NULL,
                        source TEXT NOT NULL,
                        value TEXT,
                        expires REAL,
                        issued_to TEXT,
                        issued_at REAL,
                        redeemed_at REAL,
                        added INTEGER NOT NULL
                    );
                    CREATE INDEX coupon_free ON coupon(template, issued_to, added);
                    CREATE TABLE suppression (
                        email TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
                        reason TEXT NOT NULL,
                        time REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: shop events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        data TEXT NOT NULL,
                        customer TEXT,
                        time REAL NOT NULL,
                        processed INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX event_pending ON event(processed, id);
                    """)
        }
        migrator.registerMigration("v3: customers and orders") { db in
            try db.execute(
                sql: """
                    CREATE TABLE customer (
                        email TEXT PRIMARY KEY NOT NULL,
                        name TEXT,
                        locale TEXT,
                        marketing_consent INTEGER,
                        order_count INTEGER NOT NULL DEFAULT 0,
                        last_order REAL
                    );
                    CREATE TABLE shop_order (
                        number TEXT PRIMARY KEY NOT NULL,
                        email TEXT NOT NULL,
                        items TEXT NOT NULL,
                        total REAL,
                        currency TEXT,
                        status TEXT,
                        placed REAL NOT NULL
                    );
                    CREATE INDEX shop_order_email ON shop_order(email, placed);
                    CREATE INDEX product_sales ON product(active, units_sold);
                    """)
        }
        migrator.registerMigration("v4: event ids") { db in
            try db.execute(
                sql: """
                    ALTER TABLE event ADD COLUMN event_id TEXT;
                    CREATE UNIQUE INDEX event_shop_id ON event(event_id) WHERE event_id IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v5: carts, favorites, automation jobs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cart (
                        id TEXT PRIMARY KEY NOT NULL,
                        customer TEXT NOT NULL,
                        items TEXT NOT NULL,
                        checkout_url TEXT,
                        updated REAL NOT NULL
                    );
                    CREATE TABLE favorite (
                        customer TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        added REAL NOT NULL,
                        PRIMARY KEY (customer, sku)
                    ) WITHOUT ROWID;
                    CREATE TABLE automation_job (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        automation TEXT NOT NULL,
                        customer TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        due REAL NOT NULL,
                        state TEXT NOT NULL,
                        created REAL NOT NULL,
                        updated REAL NOT NULL
                    );
                    CREATE INDEX automation_job_due ON automation_job(state, due);
                    CREATE INDEX automation_job_key ON automation_job(customer, automation, subject);
                    """)
        }
        migrator.registerMigration("v6: job notes, suppression by lower-case address") { db in
            // Why a job was skipped or moved, for `poshta automation show`;
            // the suppression list compared as the customers are: lower-case;
            // the frequency cap's question (sent to whom, when) answered by an index.
            try db.execute(
                sql: """
                    ALTER TABLE automation_job ADD COLUMN note TEXT;
                    UPDATE OR REPLACE suppression SET email = lower(email);
                    CREATE INDEX automation_job_sent ON automation_job(customer, state, updated);
                    """)
        }
        migrator.registerMigration("v7: events by customer") { db in
            // `poshta customer show` and `forget` look a customer's events up.
            try db.execute(
                sql: """
                    UPDATE event SET customer = lower(customer) WHERE customer IS NOT NULL;
                    CREATE INDEX event_customer ON event(customer, id);
                    CREATE INDEX coupon_issued_to ON coupon(issued_to);
                    """)
        }
        migrator.registerMigration("v8: the owner's settings") { db in
            // What the console changes (notification switches, …), one JSON value per name.
            try db.execute(
                sql: """
                    CREATE TABLE owner_setting (
                        name TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL,
                        updated REAL NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
