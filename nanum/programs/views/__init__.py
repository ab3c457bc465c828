"""Pages of programmes, one module per audience: public, participant, organiser, labs."""
