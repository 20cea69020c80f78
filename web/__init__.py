"""The browser form: any phone's browser answers Annex 2 with a ballot slip, through the same use cases."""
