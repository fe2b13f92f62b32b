// Package account holds what the sign-in page and `heard user` share about
// accounts: the password rules and Argon2id hashing, and the first admin
// account made on an empty database (Bootstrap).
package account
