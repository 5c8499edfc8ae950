// Package risk owns Creditgraph's credit risk classification model (企业信用风险分类,
// 国市监信发〔2022〕6号): a general model plus key-area models (food production,
// special food, special equipment) that turn an enterprise's full credit record
// into a category A (low) to D (high), a 0–100 score and the factors that
// produced it, each with its points and the decision numbers or inspection ids
// behind it. SAMR describes the classification as an internal reference for
// allocating supervision, not a credit evaluation: the letter is for the
// PARTNER tier with that caveat (see Caveat), the score, model and factors are
// REGULATOR tier, and none of it is ever PUBLIC. This package does not enforce
// tiers — the GraphQL schema does — and it must not do I/O, read the clock
// ("as of" is a parameter), keep configuration in globals or log: it is a pure
// function of its inputs, its Settings and the disclosure credit.Policy.
package risk
