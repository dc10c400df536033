// The Accounts module: who may authenticate to Poshta's listeners, and how
// hard a client must work to guess.
//
// Job: keep the submission users (the users file written by `poshta user`),
// hash and verify their passwords with scrypt, say which envelope senders an
// authenticated user may use, and slow down and then shut out clients that
// keep failing AUTH.
//
// Inputs: the path of the users file (`[auth] users_file`); passwords and
// user names from an AUTH exchange; client addresses from the listeners.
//
// Outputs: yes/no answers (`UserDatabase.verify`, `UserDatabase.mayUse`), the
// delay or disconnect verdict of `AuthThrottle`, and the users file itself,
// written atomically with mode 0600.
//
// What it never does: store, log, print or put into an error a password or a
// password hash (`PasswordHash.description` is a fixed text); run scrypt on
// the caller's thread (Swift concurrency runs on the network event loops);
// speak SMTP or SASL (SMTPProtocol decodes the AUTH exchange, SMTPServer
// decides what to answer); read the TOML configuration (PoshtaApp does).
//
// Main types: PasswordHash, UserRecord, UsersFile, UserDatabase, AuthThrottle.
